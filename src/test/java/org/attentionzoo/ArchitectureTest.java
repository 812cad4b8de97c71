package org.attentionzoo;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layering of the packages, read from the import lines of the main, example and Spark sources: every import of
 * another zoo package points down the layers below, and no two packages import each other, directly or through
 * others. A package not listed here fails the test until it is given its layer.
 */
class ArchitectureTest {

    /**
     * Layer of each package (relative to {@code org.attentionzoo}; "" is the root): a package may import only
     * packages of a lower layer. data, eval and util are leaves.
     */
    static final Map<String, Integer> LAYERS = Map.ofEntries(
            Map.entry("util", 0), Map.entry("data", 0), Map.entry("eval", 0),
            Map.entry("optim", 1), Map.entry("viz", 1), Map.entry("", 1),
            Map.entry("layers", 2), Map.entry("layers.attention", 3), Map.entry("layers.transformer", 4),
            Map.entry("models", 5),
            Map.entry("decode.step", 5),
            Map.entry("io", 6), Map.entry("decode.incremental", 6), Map.entry("decode", 7),
            Map.entry("train", 8), Map.entry("serve", 8),
            Map.entry("cli", 9), Map.entry("examples", 9), Map.entry("spark", 9));

    private static final Pattern PACKAGE = Pattern.compile("^package org\\.attentionzoo\\.?([a-z.]*);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?org\\.attentionzoo\\.([a-z.]*?)\\.?[A-Z]",
            Pattern.MULTILINE);

    /** Package -> the other zoo packages it imports, with one file that does each. */
    static Map<String, Map<String, Path>> imports() throws IOException {
        Map<String, Map<String, Path>> graph = new TreeMap<>();
        // src/spark/java: the Spark integration, built by the spark profile only.
        for (Path root : Stream.of("src/main/java", "examples", "src/spark/java").map(Path::of).filter(Files::isDirectory)
                .toList()) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    Matcher p = PACKAGE.matcher(text);
                    assertTrue(p.find(), file + ": no package line");
                    String pkg = p.group(1);
                    Map<String, Path> deps = graph.computeIfAbsent(pkg, k -> new TreeMap<>());
                    Matcher m = IMPORT.matcher(text);
                    while (m.find()) {
                        if (!m.group(1).equals(pkg)) {
                            deps.putIfAbsent(m.group(1), file);
                        }
                    }
                }
            }
        }
        return graph;
    }

    @Test
    void everyImportPointsDownTheLayers() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (var e : imports().entrySet()) {
            Integer from = LAYERS.get(e.getKey());
            if (from == null) {
                wrong.add("package '" + e.getKey() + "' has no layer in ArchitectureTest.LAYERS");
                continue;
            }
            for (var dep : e.getValue().entrySet()) {
                Integer to = LAYERS.get(dep.getKey());
                if (to == null || to >= from) {
                    wrong.add(e.getKey() + " -> " + dep.getKey() + " (" + dep.getValue() + ")");
                }
            }
        }
        assertEquals(List.of(), wrong, "imports against the layering");
    }

    @Test
    void noPackageCycles() throws IOException {
        Map<String, Map<String, Path>> graph = imports();
        List<String> cycles = new ArrayList<>();
        for (String start : graph.keySet()) {
            // Depth-first from start: a path back to start is a cycle.
            TreeSet<String> seen = new TreeSet<>();
            List<String> stack = new ArrayList<>(graph.get(start).keySet());
            while (!stack.isEmpty()) {
                String p = stack.remove(stack.size() - 1);
                if (p.equals(start)) {
                    cycles.add(start);
                    break;
                }
                if (seen.add(p) && graph.containsKey(p)) {
                    stack.addAll(graph.get(p).keySet());
                }
            }
        }
        assertEquals(List.of(), cycles, "packages that reach themselves through their imports");
    }

    @Test
    void theCheckSeesImportsAndWouldCatchAnUpwardOne() throws IOException {
        Map<String, Map<String, Path>> graph = imports();
        assertTrue(graph.get("cli").containsKey("decode"), "cli imports decode");
        assertTrue(!Files.isDirectory(Path.of("src/spark/java")) || graph.get("spark").containsKey("decode"),
                "the Spark sources are read: spark imports decode");
        assertTrue(LAYERS.get("decode") > LAYERS.get("models") && LAYERS.get("layers") < LAYERS.get("models"));
        Matcher m = IMPORT.matcher("import org.attentionzoo.decode.incremental.IncrementalStepModel;\n");
        assertTrue(m.find());
        assertEquals("decode.incremental", m.group(1));
    }
}
