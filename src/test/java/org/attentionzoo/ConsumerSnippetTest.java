package org.attentionzoo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The application in {@code src/test/consumer} (the README's library snippet: load a model.zip, translate a line,
 * draw its alignment) compiles against the library's public API, from a package of its own, and translates as
 * recorded for the checked-in luong-general fixture ("1 2 3" → "3 3", {@code expected.tsv}). Its dependency set
 * as an installed artifact is checked by {@code scripts/consumer-check.sh}, which is too slow for the suite.
 */
class ConsumerSnippetTest {

    private static final Path SOURCE = Path.of("src/test/consumer/src/main/java/com/example/TranslateLine.java");
    private static final Path MODEL = Path.of("src/test/resources/saved-models/v1/luong-general.zip");

    @TempDir
    Path classes;

    @Test
    void theConsumerSnippetCompilesAndTranslatesAsRecorded() throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, diagnostics, diagnostics, "-d", classes.toString(),
                "-cp", System.getProperty("java.class.path"), SOURCE.toString());
        assertEquals(0, status, diagnostics.toString(StandardCharsets.UTF_8));

        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[]{classes.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass("com.example.TranslateLine").getMethod("main", String[].class);
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[]{MODEL.toString(), "1 2 3"});
        } finally {
            System.setOut(out);
        }
        String[] lines = printed.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("3 3", lines[0], "the translation recorded for this fixture");
        assertEquals("      1 2 3", lines[1], "the alignment's source words");
    }

    @Test
    void theReadmeShowsTheConsumersLinesVerbatim() throws Exception {
        List<String> app = Files.readAllLines(SOURCE, StandardCharsets.UTF_8).stream().map(String::trim).toList();
        int from = app.indexOf(app.stream().filter(l -> l.startsWith("TranslationModel model =")).findFirst().orElseThrow());
        int to = app.indexOf(app.stream().filter(l -> l.contains("TerminalHeatmap.render")).findFirst().orElseThrow());
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        String block = readme.substring(readme.indexOf("```java"), readme.indexOf("```", readme.indexOf("```java") + 7));
        List<String> shown = block.lines().map(String::trim).toList();
        for (String line : app.subList(from, to + 1)) {
            assertTrue(shown.contains(line), "README's Java snippet lacks the consumer's line: " + line);
        }
    }
}
