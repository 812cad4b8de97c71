package org.attentionzoo.util;

import org.bytedeco.javacpp.Pointer;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a process's native memory near what it uses. ND4J's arrays live outside the Java heap and are freed only
 * when the small Java objects that own them are collected; with a heap that the training loop barely fills, the
 * collector seldom runs, freed native blocks stay in the C allocator's arenas, and resident memory climbs to
 * several times the working set. Every {@code period}, when resident memory has grown by {@code slack} since the
 * last collection, this runs the collector and returns free arena memory to the system ({@code malloc_trim}).
 *
 * <p>A process-wide setting: the command line and the example mains start it ({@code AttentionZoo.configure()}); a
 * library user may call {@link #keep} too. It never refuses an allocation.
 */
public final class NativeMemory {

    /** Seconds between checks. */
    public static final long DEFAULT_PERIOD_SECONDS = 2;
    /** Growth of resident memory since the last collection that triggers the next. */
    public static final long DEFAULT_SLACK_BYTES = 128L << 20;

    /** JavaCPP's {@code malloc_trim} binding, private in JavaCPP 1.5.7; null where it cannot be reached. */
    private static final java.lang.reflect.Method TRIM = trimMethod();

    private static ScheduledExecutorService keeper;
    private static long afterLast;

    private NativeMemory() {
    }

    /** Starts the keeper with the defaults, once per process; later calls do nothing. */
    public static synchronized void keep() {
        keep(DEFAULT_PERIOD_SECONDS, DEFAULT_SLACK_BYTES);
    }

    /** Starts the keeper, once per process; later calls do nothing. */
    public static synchronized void keep(long periodSeconds, long slackBytes) {
        if (keeper != null) {
            return;
        }
        keeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "attention-zoo native memory");
            t.setDaemon(true);
            return t;
        });
        afterLast = Pointer.physicalBytes();
        keeper.scheduleWithFixedDelay(() -> {
            if (Pointer.physicalBytes() > afterLast + slackBytes) {
                collect();
            }
        }, periodSeconds, periodSeconds, TimeUnit.SECONDS);
    }

    private static java.lang.reflect.Method trimMethod() {
        try {
            java.lang.reflect.Method m = Pointer.class.getDeclaredMethod("trimMemory");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Runs the collector and trims the C heap now; returns resident bytes after. */
    public static synchronized long collect() {
        System.gc();
        if (TRIM != null) {
            try {
                TRIM.invoke(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Trimming is an optimisation: without it the freed blocks are reused by later allocations.
            }
        }
        afterLast = Pointer.physicalBytes();
        return afterLast;
    }
}
