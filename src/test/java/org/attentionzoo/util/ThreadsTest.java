package org.attentionzoo.util;

import org.attentionzoo.AttentionZoo;
import org.attentionzoo.cli.ZooCli;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link Threads} and the CLI's {@code --threads}. The test JVM runs with OMP_NUM_THREADS=1 (pom.xml); a JVM
 * started without it is checked in {@link #theCommandLineConfigurationGivesEveryCoreAWorkerWithoutOmpNumThreads}.
 */
class ThreadsTest {

    @Test
    void shardsCoverTheItemsInOrderAndDifferByAtMostOne() {
        for (long n : new long[]{0, 1, 5, 64, 7_500_003L}) {
            for (int k = 1; k <= 7; k++) {
                assertEquals(0, Threads.shardStart(n, 0, k));
                assertEquals(n, Threads.shardStart(n, k, k));
                long smallest = Long.MAX_VALUE;
                long largest = 0;
                for (int s = 0; s < k; s++) {
                    long size = Threads.shardStart(n, s + 1, k) - Threads.shardStart(n, s, k);
                    smallest = Math.min(smallest, size);
                    largest = Math.max(largest, size);
                }
                assertEquals(n / k, smallest, n + " items in " + k + " shards");
                assertEquals(n % k == 0 ? n / k : n / k + 1, largest, n + " items in " + k + " shards");
            }
        }
    }

    @Test
    void oneThreadIsSetAndZeroIsRefused() {
        Threads.use(1);
        assertEquals(1, Threads.current());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Threads.use(0));
        assertEquals("the thread count must be at least 1, got 0", e.getMessage());
    }

    /**
     * libnd4j M2.1 ignores a thread count set at run time, so the count the workers are sized by is the zoo's:
     * two threads per operation leave half the workers, whatever libnd4j started with.
     */
    @Test
    void theWorkersFollowTheThreadsSetAtRunTime() {
        int cores = Runtime.getRuntime().availableProcessors();
        try {
            Threads.use(2);
            assertEquals(2, Threads.current());
            assertEquals(Math.max(1, cores / 2), Threads.workers());
            Threads.use(1);
            assertEquals(cores, Threads.workers());
        } finally {
            Threads.use(1);
        }
    }

    /**
     * The command line's configuration in a JVM started as a user starts it, without OMP_NUM_THREADS (libnd4j
     * then starts with one thread per core): one thread per operation and a worker per core, so that
     * {@code train} and {@code translate} use every core. It printed one worker on 2 cores before the zoo kept
     * its own count.
     */
    @Test
    void theCommandLineConfigurationGivesEveryCoreAWorkerWithoutOmpNumThreads() throws Exception {
        ProcessBuilder child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ConfiguredThreads.class.getName())
                .redirectErrorStream(true);
        child.environment().remove("OMP_NUM_THREADS");
        Process p = child.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        String line = out.lines().filter(l -> l.startsWith("cores ")).findFirst().orElseThrow(() -> new AssertionError(out));
        String[] f = line.split(" ");
        assertEquals("1", f[3], "threads per operation: " + line);
        assertEquals(f[1], f[5], "a worker per core: " + line);
    }

    /** What {@link #theCommandLineConfigurationGivesEveryCoreAWorkerWithoutOmpNumThreads} runs in its child JVM. */
    static final class ConfiguredThreads {
        public static void main(String[] args) {
            AttentionZoo.configure();
            System.out.println("cores " + Runtime.getRuntime().availableProcessors() + " threads " + Threads.current()
                    + " workers " + Threads.workers());
        }
    }

    @Test
    void everyCommandTakesThreadsAndRefusesZero() {
        assertEquals(0, ZooCli.run("zoo", "--threads", "1"));
        assertEquals(1, Threads.current());
        assertNotEquals(0, ZooCli.run("zoo", "--threads", "0"), "zero threads is a usage error");
        assertNotEquals(0, ZooCli.run("zoo", "--threads", "many"), "not a number");
    }
}
