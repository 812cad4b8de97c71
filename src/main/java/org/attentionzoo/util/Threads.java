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
 * How many threads ND4J uses inside one operation (libnd4j's OpenMP loops and the BLAS library), set at
 * run time; the environment variable {@code OMP_NUM_THREADS} sets the same at start-up. For the zoo's model
 * sizes on a 2-core machine one thread trained faster than two ({@code docs/dl4j-notes.md}): libnd4j's
 * OpenMP threads spin while OpenBLAS's threads run a product. With {@code OMP_WAIT_POLICY=passive} in the
 * environment two threads stop hurting, but the zoo's operations are too small to gain much from them.
 */
public final class Threads {

    private static final AtomicInteger WORKER_THREADS = new AtomicInteger();
    private static ExecutorService workerPool;

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
        Nd4j.getEnvironment().setMaxThreads(n);
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        Nd4j.factory().blas().setMaxThreads(n);
    }

    /** The threads ND4J uses per operation now. */
    public static int current() {
        return Nd4j.getEnvironment().maxThreads();
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
