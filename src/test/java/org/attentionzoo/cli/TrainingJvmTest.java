package org.attentionzoo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingJvmTest {

    @TempDir
    Path dir;

    private static final String JAVA = "/jdk/bin/java";

    private Optional<List<String>> command(List<String> jvmOptions, String... args) {
        return TrainingJvm.command(JAVA, jvmOptions, "zoo.jar", args);
    }

    @Test
    void theHeapIsTheBasePlusEightBytesPerByteOfTheCorpusFiles() throws Exception {
        Path train = Files.write(dir.resolve("train.tsv"), new byte[1 << 20]);
        Path dev = Files.write(dir.resolve("dev.tsv"), new byte[1 << 19]);
        // 320 MB + 8 x 1.5 MB = 332 MB, whichever way the options are written
        assertEquals(332, TrainingJvm.heapMegabytes(new String[]{"train", "--train", train.toString(), "--dev", dev.toString()}));
        assertEquals(332, TrainingJvm.heapMegabytes(new String[]{"train", "--train=" + train, "--dev=" + dev}));
        // a byte more rounds up to the next megabyte
        Files.write(train, new byte[(1 << 20) + 1]);
        assertEquals(329, TrainingJvm.heapMegabytes(new String[]{"finetune", "--from", "m.zip", "--train", train.toString()}));
        // a missing file counts nothing (the command reports it); a generated task counts 100 bytes a pair:
        // 20,000 x 100 x 8 bytes = 15.26 MB, rounded up to 16
        assertEquals(320, TrainingJvm.heapMegabytes(new String[]{"train", "--train", dir.resolve("none.tsv").toString()}));
        assertEquals(336, TrainingJvm.heapMegabytes(new String[]{"train", "--task", "copy", "--task-size", "20000"}));
    }

    @Test
    void trainingCommandsGetASizedHeapAndTheUsersOptionsAndArguments() throws Exception {
        Path train = Files.write(dir.resolve("train.tsv"), new byte[1 << 20]);
        List<String> c = command(List.of("-Dcolour=blue", "-XX:+UseSerialGC"),
                "--threads", "1", "train", "--model", "transformer-small", "--train", train.toString(), "--out", "run").orElseThrow();
        assertEquals(List.of(JAVA, "-Xmx328m", "-Dorg.bytedeco.javacpp.maxBytes=0", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0",
                "-D" + TrainingJvm.HEAP_PROPERTY + "=328", "-Dcolour=blue", "-XX:+UseSerialGC", "-cp", "zoo.jar",
                ZooCli.class.getName(), "--threads", "1", "train", "--model", "transformer-small", "--train", train.toString(),
                "--out", "run"), c);
        assertTrue(command(List.of(), "finetune", "--from", "m.zip", "--train", train.toString()).isPresent());
    }

    @Test
    void otherCommandsHelpAndAJvmTheUserSizedOrInstrumentedRunWhereTheyStarted() {
        assertTrue(command(List.of(), "translate", "--model", "m.zip").isEmpty());
        assertTrue(command(List.of(), "--threads", "1", "serve", "--model", "m.zip").isEmpty());
        assertTrue(command(List.of(), "train", "--help").isEmpty());
        assertTrue(command(List.of(), "--version").isEmpty());
        assertTrue(command(List.of(), "train", "--model", "x", "-h").isEmpty());
        for (String chosen : List.of("-Xmx2g", "-XX:MaxHeapSize=2147483648", "-XX:MaxRAMPercentage=50",
                "-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "-javaagent:profiler.jar")) {
            assertTrue(command(List.of("-Dx=1", chosen), "train", "--task", "copy", "--out", "run").isEmpty(), chosen);
        }
        assertTrue(command(List.of("-Dx=1"), "train", "--task", "copy", "--out", "run").isPresent());
        String old = System.setProperty(TrainingJvm.RELAUNCH_PROPERTY, "false");
        try {
            assertTrue(command(List.of(), "train", "--task", "copy", "--out", "run").isEmpty());
        } finally {
            if (old == null) {
                System.clearProperty(TrainingJvm.RELAUNCH_PROPERTY);
            } else {
                System.setProperty(TrainingJvm.RELAUNCH_PROPERTY, old);
            }
        }
    }

    @Test
    void theSubcommandIsTheFirstWordThatIsNotAnOption() {
        assertEquals("train", TrainingJvm.subcommand(new String[]{"--threads", "2", "train", "--model", "x"}));
        assertEquals("translate", TrainingJvm.subcommand(new String[]{"translate", "--model", "train"}));
        assertEquals("", TrainingJvm.subcommand(new String[]{"--help"}));
    }

    /**
     * The command as a user runs it ({@code java -cp ... ZooCli train}, no JVM options) trains in a child whose heap
     * follows the corpus: the default heap (a quarter of the machine's memory) would print a different figure. The
     * child's exit status is the command's.
     */
    @Test
    void aUsersTrainRunsInAChildWithTheSizedHeapAndItsExitStatus() throws Exception {
        Path out = dir.resolve("run");
        List<String> train = List.of("train", "--model", "luong-general", "--task", "copy", "--task-size", "200",
                "--steps", "2", "--batch", "16", "--dev-max", "8", "--out", out.toString());
        Child ok = start(train);
        assertEquals(0, ok.code(), ok.out());
        Matcher heap = Pattern.compile("Java heap up to ([0-9,]+) MB").matcher(ok.out());
        assertTrue(heap.find(), ok.out());
        long expected = TrainingJvm.heapMegabytes(train.toArray(String[]::new));
        long printed = Long.parseLong(heap.group(1).replace(",", ""));
        // G1 rounds the maximum heap up to its alignment (a few MB at most)
        assertTrue(printed >= expected && printed <= expected + 8, "heap " + printed + " MB, sized " + expected + " MB");
        assertTrue(Files.isRegularFile(out.resolve("model.zip")));

        Child bad = start(List.of("train", "--model", "no-such-card", "--task", "copy", "--out", out.toString()));
        assertEquals(1, bad.code(), bad.out());
        assertTrue(bad.out().contains("error: "), bad.out());
    }

    /** A launcher stopped by SIGTERM (a service manager, {@code kill}) stops its training child and waits for it. */
    @Test
    void stoppingTheLauncherStopsTheChild() throws Exception {
        Process launcher = asAUserStartsIt(List.of("train", "--model", "luong-general", "--task", "copy", "--task-size", "200",
                "--minutes", "5", "--out", dir.resolve("run").toString())).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
        String line;
        do {
            line = out.readLine();
        } while (line != null && !line.contains("Java heap up to"));
        assertTrue(line != null, "the child never started training");
        List<ProcessHandle> children = launcher.toHandle().children().toList();
        assertEquals(1, children.size(), "one child JVM");
        launcher.destroy();
        assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "the launcher ended");
        assertFalse(children.get(0).isAlive(), "the child ended before the launcher did");
    }

    @Test
    void anOutOfMemoryErrorAnywhereInTheCausesIsOneLineNamingTheHeap() {
        String m = ZooCli.message(new RuntimeException("worker failed", new OutOfMemoryError("Java heap space")));
        long heap = Runtime.getRuntime().maxMemory() >> 20;
        assertEquals("out of memory (Java heap space) with a Java heap of " + heap + " MB; start the JVM with more, for "
                + "example java -Xmx" + 2 * heap + "m -jar attention-zoo.jar ...", m);
        assertEquals("no such file", ZooCli.message(new IllegalArgumentException("no such file")));
    }

    private record Child(int code, String out) { }

    private static Child start(List<String> args) throws Exception {
        Process p = asAUserStartsIt(args).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Child(p.waitFor(), out);
    }

    /** {@code ZooCli} in a JVM without options of its own, stdout and stderr together. */
    private static ProcessBuilder asAUserStartsIt(List<String> args) {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ZooCli.class.getName()));
        c.addAll(args);
        ProcessBuilder b = new ProcessBuilder(c).redirectErrorStream(true);
        b.environment().remove("JAVA_TOOL_OPTIONS");
        b.environment().remove("JDK_JAVA_OPTIONS");
        return b;
    }
}
