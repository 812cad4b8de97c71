package org.attentionzoo.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code train} and {@code finetune} in a second JVM whose heap is sized for the corpus, so that
 * {@code java -jar attention-zoo.jar train ...} trains in the memory it needs with nothing extra typed.
 *
 * <p>Why: the JVM's default heap is a quarter of the machine's memory, and G1 grows towards it at the rate DL4J
 * allocates short-lived Java objects in training, many times what is live. What the heap really holds is the corpus
 * (sentence pairs as strings and token ids, about 5 bytes of heap per byte of TSV), so the child's {@code -Xmx} is
 * {@value #BASE_HEAP_MB} MB plus {@value #HEAP_BYTES_PER_CORPUS_BYTE} bytes per byte of the {@code --train} and
 * {@code --dev} files. JavaCPP derives its own native-memory limits from {@code -Xmx} ({@code maxBytes} = the heap,
 * {@code maxPhysicalBytes} = 4x; past them it calls {@code System.gc()} from the allocating thread, and gives up
 * with an {@code OutOfMemoryError}); the child turns them off and leaves native memory to
 * {@link org.attentionzoo.util.NativeMemory}, which collects and trims for the whole process. A small heap with
 * those limits on crashed libnd4j (docs/dl4j-notes.md); the measurements are in docs/performance.md.
 *
 * <p>When it stays in the JVM the user started: any heap or agent option on the command line or in
 * {@code JAVA_TOOL_OPTIONS} / {@code JDK_JAVA_OPTIONS} (the user chose the JVM's memory, or is debugging or
 * profiling it), {@code -D}{@value #RELAUNCH_PROPERTY}{@code =false}, help and version requests, every other
 * command, and the child itself. If the second JVM cannot be started the command runs here. The child gets the
 * parent's JVM options, the same standard streams and the same exit status; a parent stopped by a signal stops the
 * child and waits for it.
 */
final class TrainingJvm {

    /** Set to {@code false} to train in the JVM that was started. */
    static final String RELAUNCH_PROPERTY = "attentionzoo.relaunch";
    /** Set in the child: the heap it was given, in MB. */
    static final String HEAP_PROPERTY = "attentionzoo.sizedHeapMb";
    static final long BASE_HEAP_MB = 320;
    static final int HEAP_BYTES_PER_CORPUS_BYTE = 8;
    /** A generated task's pairs, in bytes of TSV each (the longest of the generated tasks is under this). */
    static final int TASK_BYTES_PER_PAIR = 100;

    private static final Set<String> COMMANDS = Set.of("train", "finetune");
    private static final List<String> CHOSEN_BY_USER = List.of("-Xmx", "-XX:MaxHeapSize", "-XX:MaxRAM", "-XX:MinRAMPercentage",
            "-agentlib", "-agentpath", "-javaagent", "-Xrun", "-Xdebug");
    private static final List<String> ENVIRONMENT_OPTIONS = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

    private TrainingJvm() {
    }

    /** The child JVM's command line, or empty where the command runs in this JVM. */
    static Optional<List<String>> command(String java, List<String> jvmOptions, String classPath, String[] args) {
        if (!trainsInAChild(args) || jvmOptions.stream().anyMatch(o -> CHOSEN_BY_USER.stream().anyMatch(o::startsWith))) {
            return Optional.empty();
        }
        long heap = heapMegabytes(args);
        List<String> c = new ArrayList<>();
        c.add(java);
        c.add("-Xmx" + heap + "m");
        c.add("-Dorg.bytedeco.javacpp.maxBytes=0");
        c.add("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0");
        c.add("-D" + HEAP_PROPERTY + "=" + heap);
        c.addAll(jvmOptions);
        c.add("-cp");
        c.add(classPath);
        c.add(ZooCli.class.getName());
        c.addAll(Arrays.asList(args));
        return Optional.of(c);
    }

    /** {@value #BASE_HEAP_MB} MB plus {@value #HEAP_BYTES_PER_CORPUS_BYTE} bytes per byte of the corpus files. */
    static long heapMegabytes(String[] args) {
        long corpus = 0;
        for (int i = 0; i < args.length; i++) {
            String value = valueOf(args, i, "--train");
            if (value == null) {
                value = valueOf(args, i, "--dev");
            }
            if (value != null) {
                try {
                    corpus += Files.size(Path.of(value));
                } catch (IOException | RuntimeException e) {
                    // The command itself reports a missing or unreadable file.
                }
            }
            String pairs = valueOf(args, i, "--task-size");
            if (pairs != null) {
                try {
                    corpus += Long.parseLong(pairs.trim()) * TASK_BYTES_PER_PAIR;
                } catch (NumberFormatException e) {
                    // The command itself reports a bad number.
                }
            }
        }
        return BASE_HEAP_MB + (corpus * HEAP_BYTES_PER_CORPUS_BYTE + (1L << 20) - 1 >> 20);
    }

    /**
     * Whether the command line asks for a training command to run in a child, before the JVM's own options are
     * looked at: not in the child itself, nor with {@value #RELAUNCH_PROPERTY}{@code =false}, nor for help.
     */
    private static boolean trainsInAChild(String[] args) {
        if (System.getProperty(HEAP_PROPERTY) != null || "false".equalsIgnoreCase(System.getProperty(RELAUNCH_PROPERTY))
                || !COMMANDS.contains(subcommand(args))) {
            return false;
        }
        return Arrays.stream(args).noneMatch(a -> a.equals("-h") || a.equals("--help") || a.equals("-V")
                || a.equals("--version"));
    }

    /** Starts the child for a training command and returns its exit status; empty where this JVM runs it. */
    static OptionalInt launch(String[] args) {
        if (!trainsInAChild(args)) {
            return OptionalInt.empty();       // every other command starts without asking the JVM for its options
        }
        List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Optional<List<String>> command = command(java, jvmOptions, System.getProperty("java.class.path"), args);
        if (command.isEmpty()) {
            return OptionalInt.empty();
        }
        ProcessBuilder builder = new ProcessBuilder(command.get()).inheritIO();
        Map<String, String> env = builder.environment();
        ENVIRONMENT_OPTIONS.forEach(env::remove);   // already among jvmOptions, which the child gets
        Process child;
        try {
            child = builder.start();
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
        Thread stop = new Thread(() -> {
            if (child.isAlive()) {
                child.destroy();
                try {
                    child.waitFor(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "attention-zoo child stop");
        Runtime.getRuntime().addShutdownHook(stop);
        while (true) {
            try {
                return OptionalInt.of(child.waitFor());
            } catch (InterruptedException e) {
                child.destroy();
            }
        }
    }

    /** The subcommand's name: the first word that is neither an option nor {@code --threads}'s value. */
    static String subcommand(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--threads")) {
                i++;
            } else if (!args[i].startsWith("-")) {
                return args[i];
            }
        }
        return "";
    }

    private static String valueOf(String[] args, int i, String option) {
        if (args[i].equals(option) && i + 1 < args.length) {
            return args[i + 1];
        }
        return args[i].startsWith(option + "=") ? args[i].substring(option.length() + 1) : null;
    }
}
