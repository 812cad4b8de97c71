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
