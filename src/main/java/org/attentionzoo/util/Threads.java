package org.attentionzoo.util;

import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * How many threads one operation uses (the BLAS library's products, and libnd4j's own loops where it lets
 * them be set), and so how many workers keep the cores busy. The environment variable {@code OMP_NUM_THREADS}
 * sets libnd4j's count at start-up; at run time M2.1 ignores it ({@code Environment::setMaxThreads} is a no-op
 * in its libnd4j, {@code docs/dl4j-notes.md}), so {@link #use} sets the BLAS library's threads and the zoo
 * keeps its own count, which {@link #current()} and {@link #workers()} read. For the zoo's model sizes on a
 * 2-core machine one thread per operation and two workers trained faster than two threads per operation and
 * one worker ({@code docs/dl4j-notes.md}).
 */
public final class Threads {

    private static final AtomicInteger WORKER_THREADS = new AtomicInteger();
    private static ExecutorService workerPool;
    /** Threads per operation set by {@link #use}; 0 until then (libnd4j's start-up count holds). */
    private static volatile int perOperation;

    private Threads() {
    }

    /**
     * @param n threads per operation, at least 1
     * @throws IllegalArgumentException if n &lt; 1
     */
    public static void use(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("the thread count must be at least 1, got " + n);
        }
        Nd4j.getEnvironment().setMaxThreads(n);           // a no-op in M2.1's libnd4j; honoured by versions that implement it
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        Nd4j.factory().blas().setMaxThreads(n);
        perOperation = n;
    }

    /**
     * Threads per operation: the last {@link #use}, else libnd4j's start-up count ({@code OMP_NUM_THREADS},
     * else the cores).
     */
    public static int current() {
        int n = perOperation;
        return n > 0 ? n : Nd4j.getEnvironment().maxThreads();
    }

    /**
     * How many independent pieces of work (a training step's shards, a decoding batch's shards) keep the
     * machine busy without oversubscribing it: cores ÷ threads per operation, at least 1. On a 2-core
     * machine at one thread per operation, 2.
     */
    public static int workers() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, current()));
    }

    /**
     * Where shard s of k starts when n items are split into k contiguous shards as evenly as they go: ⌊n·s/k⌋
     * (shard s is [start(n, s, k), start(n, s + 1, k)); sizes differ by at most one).
     */
    public static long shardStart(long n, int s, int k) {
        return n * s / k;
    }

    /**
     * Runs {@code task.accept(0)} … {@code task.accept(k − 1)} side by side, 0 on the calling thread and the
     * others on the zoo's worker threads (daemon threads, reused from call to call so that ND4J's per-thread
     * workspaces are too), and returns when all are done. A task's exception is rethrown here (the first by
     * task number); the other tasks still finish first.
     *
     * @param k tasks, at least 1
     */
    public static void parallel(int k, IntConsumer task) {
        if (k < 1) {
            throw new IllegalArgumentException("at least one task, got " + k);
        }
        List<Future<?>> others = new ArrayList<>(k - 1);
        for (int i = 1; i < k; i++) {
            int index = i;
            others.add(pool().submit(() -> task.accept(index)));
        }
        RuntimeException failure = null;
        try {
            task.accept(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> other : others) {
            try {
                other.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure != null ? failure : new IllegalStateException("interrupted while waiting for a task", e);
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException("a parallel task failed: " + e.getCause(), e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static synchronized ExecutorService pool() {
        if (workerPool == null) {
            workerPool = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "attention-zoo-worker-" + WORKER_THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return workerPool;
    }
}
