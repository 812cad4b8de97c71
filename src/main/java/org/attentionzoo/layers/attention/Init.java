package org.attentionzoo.layers.attention;

import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitUtil;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Parameter initialisation for attention parameters (DL4J does not apply its global weightInit to SameDiff layers). */
final class Init {

    private Init() {
    }

    /** Xavier (Glorot) initialisation of a parameter view in place. */
    static void xavier(INDArray view, long fanIn, long fanOut) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            WeightInitUtil.initWeights(fanIn, fanOut, view.shape(), WeightInit.XAVIER, null, 'c', view);
        }
    }
}
