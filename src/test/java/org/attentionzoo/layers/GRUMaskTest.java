package org.attentionzoo.layers;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Variable-length batches: ids -> EmbeddingSequenceLayer -> GRU -> LastTimeStepVertex(mask of "in"). Each
 * padded batch is compared with the same sequences run one at a time without padding.
 */
class GRUMaskTest {

    private static final int VOCAB = 7, EMB = 3, HIDDEN = 4, T = 6;
    private static final int[] LENGTHS = {6, 2, 4};

    @BeforeAll
    static void oneThread() {
        OneThread.use();
    }

    private static Map<String, INDArray> run(ComputationGraph net, INDArray ids, INDArray mask) {
        net.clearLayerMaskArrays();
        net.setLayerMaskArrays(mask == null ? null : new INDArray[]{mask}, null);
        Map<String, INDArray> acts = net.feedForward(new INDArray[]{ids}, false, false);
        net.clearLayerMaskArrays();
        return acts;
    }

    /** Batch with padding at the end (leftPadded false) or at the start, compared per sequence. */
    private static void check(boolean leftPadded) {
        Nd4j.getRandom().setSeed(leftPadded ? 31 : 32);
        ComputationGraph net = GruGraphs.init(GruGraphs.encoder(DataType.DOUBLE, VOCAB, EMB, HIDDEN, 2));
        INDArray ids = GruGraphs.ids(DataType.DOUBLE, LENGTHS.length, T, VOCAB);
        INDArray mask = GruGraphs.mask(DataType.DOUBLE, T, LENGTHS);
        if (leftPadded) { // mirror in time: the padding comes first
            mask = Nd4j.pullRows(mask.transpose(), 1, new int[]{5, 4, 3, 2, 1, 0}).transpose().dup();
        }
        Map<String, INDArray> batch = run(net, ids, mask);
        INDArray gru = batch.get("gru");                                              // [mb, HIDDEN, T]
        assertTrue(Double.isFinite(gru.sumNumber().doubleValue()), "NaN or infinity in the GRU output");

        for (int i = 0; i < LENGTHS.length; i++) {
            int len = LENGTHS[i];
            int first = leftPadded ? T - len : 0;
            INDArray alone = ids.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(),
                    NDArrayIndex.interval(first, first + len)).dup();
            Map<String, INDArray> single = run(net, alone, null);
            INDArray expected = single.get("gru");                                   // [1, HIDDEN, len]
            INDArray real = gru.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(),
                    NDArrayIndex.interval(first, first + len));
            assertEquals(0.0, expected.sub(real).amaxNumber().doubleValue(), 1e-12, "real steps of example " + i);
            for (int s = 0; s < T; s++) {
                if (mask.getDouble(i, s) == 0) {
                    INDArray padded = gru.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.point(s));
                    assertEquals(0.0, padded.amaxNumber().doubleValue(), 0.0, "padded step " + s + " of " + i);
                }
            }
            INDArray lastExpected = expected.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(len - 1));
            INDArray lastActual = batch.get("last").getRow(i);
            assertEquals(0.0, lastExpected.sub(lastActual).amaxNumber().doubleValue(), 1e-12, "last step of " + i);
        }
    }

    @Test
    void rightPaddedBatchEqualsSequencesAlone() {
        check(false);
    }

    @Test
    void leftPaddedBatchEqualsSequencesAlone() {
        check(true);
    }
}
