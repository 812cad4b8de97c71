package org.attentionzoo.layers;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Double-precision gradient checks of ids -> EmbeddingSequenceLayer (built-in, below) -> GRU ->
 * RnnOutputLayer, without and with a variable-length time mask. The embedding's gradient is right only if
 * GRU returns the right dL/dInput (which the doubled-gradient bug would make twice too large).
 */
class GRUGradientCheckTest {

    @BeforeAll
    static void oneThread() {
        OneThread.use();
    }


    private static final int VOCAB = 4, EMB = 2, HIDDEN = 3, CLASSES = 2, MB = 3, T = 4;

    private static void check(boolean masked) {
        GradientChecks.inDoublePrecision(() -> {
            Nd4j.getRandom().setSeed(masked ? 21 : 22);
            ComputationGraph net = GruGraphs.init(GruGraphs.tagger(DataType.DOUBLE, VOCAB, EMB, HIDDEN, CLASSES));
            net.getLayer("gru").getParam(GRU.BIAS_KEY).assign(Nd4j.rand(DataType.DOUBLE, 1, 3 * HIDDEN).subi(0.5));
            INDArray[] in = {GruGraphs.ids(DataType.DOUBLE, MB, T, VOCAB)};
            INDArray[] labels = {GruGraphs.labels(DataType.DOUBLE, MB, CLASSES, T)};
            INDArray[] mask = masked ? new INDArray[]{GruGraphs.mask(DataType.DOUBLE, T, 4, 2, 3)} : null;

            GradientChecks.Report r = GradientChecks.measure(net, in, labels, mask, mask);
            System.out.println("GRU gradient check, masked=" + masked + ": " + r);
            assertTrue(r.maxRelError() < GradientChecks.MAX_REL_ERROR, "max rel error " + r.maxRelError());
            r.ratioByParam().forEach((key, ratio) -> assertEquals(1.0, ratio, 1e-4, key));
            assertTrue(GradientChecks.passes(net, in, labels, mask, mask), "GradientCheckUtil");
            return null;
        });
    }

    @Test
    void gradientsAreRightWithoutMask() {
        check(false);
    }

    @Test
    void gradientsAreRightWithVariableLengthMask() {
        check(true);
    }
}
