package org.attentionzoo.util;

import org.nd4j.linalg.factory.Nd4j;

/**
 * How many threads ND4J uses inside one operation (libnd4j's OpenMP loops and the BLAS library), set at
 * run time; the environment variable {@code OMP_NUM_THREADS} sets the same at start-up. For the zoo's model
 * sizes on a 2-core machine one thread trained 1.7x faster than two (README, "Notes on DL4J"): libnd4j's
 * OpenMP threads spin while OpenBLAS's threads run a product. With {@code OMP_WAIT_POLICY=passive} in the
 * environment two threads stop hurting, but the zoo's operations are too small to gain much from them.
 */
public final class Threads {

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
}
