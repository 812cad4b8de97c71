package org.attentionzoo.util;

import org.attentionzoo.cli.ZooCli;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ThreadsTest {

    @Test
    void setsTheThreadsPerOperationAndRejectsZero() {
        int before = Threads.current();
        try {
            Threads.use(1);
            assertEquals(1, Threads.current());
            Threads.use(2);
            assertEquals(2, Threads.current());
            assertThrows(IllegalArgumentException.class, () -> Threads.use(0));
        } finally {
            Threads.use(before);
        }
    }

    @Test
    void everyCommandTakesThreads() {
        int before = Threads.current();
        try {
            Threads.use(2);
            assertEquals(0, ZooCli.run("zoo", "--threads", "1"));
            assertEquals(1, Threads.current());
            assertNotEquals(0, ZooCli.run("zoo", "--threads", "0"), "zero threads is a usage error");
        } finally {
            Threads.use(before);
        }
    }
}
