package org.attentionzoo.util;

import org.attentionzoo.cli.ZooCli;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link Threads} and the CLI's {@code --threads}. The test JVM runs with OMP_NUM_THREADS=1 (pom.xml), which
 * caps what can be set, so only one thread and the rejections are checked here.
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

    @Test
    void everyCommandTakesThreadsAndRefusesZero() {
        assertEquals(0, ZooCli.run("zoo", "--threads", "1"));
        assertEquals(1, Threads.current());
        assertNotEquals(0, ZooCli.run("zoo", "--threads", "0"), "zero threads is a usage error");
        assertNotEquals(0, ZooCli.run("zoo", "--threads", "many"), "not a number");
    }
}
