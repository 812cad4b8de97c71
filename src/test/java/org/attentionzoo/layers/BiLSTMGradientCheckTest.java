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
 * Double-precision gradient checks of ids -> EmbeddingSequenceLayer (built-in, below) -> BiLSTM ->
 * RnnOutputLayer, without and with a ragged time mask. The embedding's gradient is right only if BiLSTM
 * returns the right dL/dInput. This is the check that lstmLayer's backprop is right when it is given no
 * sequence lengths (with lengths it is wrong in M2.1), and that reverseSequence and the masking
 * differentiate correctly.
 */
class BiLSTMGradientCheckTest {

    private static final int VOCAB = 4, EMB = 2, HIDDEN = 3, CLASSES = 2, MB = 3, T = 4;

    @BeforeAll
    static void oneThread() {
        OneThread.use();
    }

    private static void check(boolean masked) {
        GradientChecks.inDoublePrecision(() -> {
            ComputationGraph net = BiLstmGraphs.init(BiLstmGraphs.tagger(DataType.DOUBLE, VOCAB, EMB, HIDDEN, CLASSES));
            Nd4j.getRandom().setSeed(masked ? 21 : 22);
            for (String key : new String[]{BiLSTM.FWD_BIAS_KEY, BiLSTM.BWD_BIAS_KEY}) {
                net.getLayer("enc").getParam(key).assign(Nd4j.rand(DataType.DOUBLE, 1, 4 * HIDDEN).subi(0.5));
            }
            INDArray[] in = {GruGraphs.ids(DataType.DOUBLE, MB, T, VOCAB)};
            INDArray[] labels = {GruGraphs.labels(DataType.DOUBLE, MB, CLASSES, T)};
            INDArray[] mask = masked ? new INDArray[]{GruGraphs.mask(DataType.DOUBLE, T, 4, 2, 3)} : null;

            GradientChecks.Report r = GradientChecks.measure(net, in, labels, mask, mask);
            System.out.println("BiLSTM gradient check, masked=" + masked + ": " + r);
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
    void gradientsAreRightWithRaggedMask() {
        check(true);
    }
}
