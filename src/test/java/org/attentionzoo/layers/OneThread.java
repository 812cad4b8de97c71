package org.attentionzoo.layers;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs ND4J on one thread in tests. On this 2-core machine, shared with other builds, ND4J's default
 * multi-threading made each small forward pass 5-10x slower (100-250 ms instead of 15-35 ms, measured).
 */
final class OneThread {

    private OneThread() {
    }

    static void use() {
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
    }
}
