package org.attentionzoo.models;

import org.attentionzoo.decode.incremental.EncoderPass;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code bilstm-graph} encoder (two built-in LSTMs and mask-aware reversal): its backward direction starts
 * at each sentence's last real token, so encoder states do not depend on padding, and the backward half at
 * the last real token has seen that token only.
 */
class GraphBiLstmEncoderTest {

    private static ComputationGraph graph() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            ModelCard card = RnnAttention.builder().embeddingSize(5).hiddenSize(8).attentionSize(4)
                    .encoder(ModelCard.Encoder.BILSTM_GRAPH).score("general").dropout(0).build();
            return Zoo.init(card, 20, 20);
        } finally {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        }
    }

    @Test
    void encoderStatesDoNotDependOnPaddingAndTheBackwardHalfStartsAtTheLastRealToken() {
        ComputationGraph g = graph();
        int[] shortOne = {4, 7, 9};
        INDArray alone = EncoderPass.run(g, new int[][]{shortOne}, "encoder_0").get("encoder_0");         // [1, 8, 3]
        INDArray padded = EncoderPass.run(g, new int[][]{shortOne, {5, 6, 7, 8, 9, 10}}, "encoder_0").get("encoder_0");
        INDArray real = padded.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.interval(0, 3));
        assertEquals(0, alone.get(NDArrayIndex.point(0)).sub(real).amaxNumber().doubleValue(), 1e-12,
                "states at real positions are the same with three steps of padding after them");

        INDArray changedFirst = EncoderPass.run(g, new int[][]{{11, 7, 9}}, "encoder_0").get("encoder_0");
        INDArray backwardLast = alone.get(NDArrayIndex.point(0), NDArrayIndex.interval(4, 8), NDArrayIndex.point(2));
        INDArray backwardLastChanged = changedFirst.get(NDArrayIndex.point(0), NDArrayIndex.interval(4, 8), NDArrayIndex.point(2));
        assertEquals(0, backwardLast.sub(backwardLastChanged).amaxNumber().doubleValue(), 1e-12,
                "the backward half at the last real token has read that token only");
        INDArray forwardLast = alone.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 4), NDArrayIndex.point(2));
        INDArray forwardLastChanged = changedFirst.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 4), NDArrayIndex.point(2));
        assertTrue(forwardLast.sub(forwardLastChanged).amaxNumber().doubleValue() > 1e-6,
                "the forward half at the last token has read the first one");
        INDArray backwardFirst = alone.get(NDArrayIndex.point(0), NDArrayIndex.interval(4, 8), NDArrayIndex.point(0));
        INDArray backwardFirstChanged = changedFirst.get(NDArrayIndex.point(0), NDArrayIndex.interval(4, 8), NDArrayIndex.point(0));
        assertTrue(backwardFirst.sub(backwardFirstChanged).amaxNumber().doubleValue() > 1e-6,
                "the backward half at the first token has read it");
    }
}
