package org.attentionzoo.layers.transformer;

import org.attentionzoo.layers.GradientChecks;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Double-precision gradient checks of built-in LSTMs → DecoderLayer → RnnOutputLayer: POST-LN with padding
 * masks on both inputs, PRE-LN (final LayerNorm, GELU, attention biases) without masks (DL4J then passes
 * all-ones masks through the same graph). Both LSTMs get the right gradient only if the vertex returns the right
 * dL/dInput for both inputs.
 */
class DecoderLayerGradientCheckTest {

    private static final int MB = 3, T_TGT = 4, T_SRC = 5, DEC_IN = 3, ENC_IN = 2, D = 4, CLASSES = 3;

    @ParameterizedTest(name = "{0}-LN, {1}, bias={2}, masked={3}")
    @CsvSource({"POST,RELU,false,true", "PRE,GELU,true,false"}) // two cases only: each costs ~20-30 s here
    void gradientsMatchFiniteDifferences(NormPosition norm, FeedForwardActivation act, boolean bias, boolean masked) {
        GradientChecks.inDoublePrecision(() -> {
            Nd4j.getRandom().setSeed(3);
            DecoderLayer vertex = new DecoderLayer.Builder().dModel(D).heads(2).dFF(5).activation(act)
                    .normPosition(norm).finalLayerNorm(norm == NormPosition.PRE).attentionBias(bias).build();
            ComputationGraph net = TransformerGraphs.vertexBetween(vertex, DEC_IN, ENC_IN, D, CLASSES, 5);
            EncoderLayerGradientCheckTest.perturbLayerNorms(net);
            INDArray[] in = {TransformerGraphs.random(MB, DEC_IN, T_TGT), TransformerGraphs.random(MB, ENC_IN, T_SRC)};
            INDArray[] labels = {GradientChecks.labels(MB, CLASSES, T_TGT, 9)};
            INDArray[] masks = masked
                    ? new INDArray[]{GradientChecks.mask(T_TGT, 4, 2, 3), GradientChecks.mask(T_SRC, 5, 3, 1)}
                    : null;
            INDArray[] labelMasks = masked ? new INDArray[]{masks[0]} : null;
            GradientChecks.Report r = GradientChecks.measure(net, in, labels, masks, labelMasks);
            System.out.println("DecoderLayer " + norm + " " + act + " bias=" + bias + " masked=" + masked + ": " + r);
            assertTrue(r.maxRelError() < GradientChecks.MAX_REL_ERROR, "max rel error " + r.maxRelError());
            EncoderLayerGradientCheckTest.assertRatiosNearOne(r);
            if (norm == NormPosition.PRE) { // DL4J's own checker once per class: it repeats measure's differences (slow)
                assertTrue(GradientChecks.passes(net, in, labels, masks, labelMasks), "GradientCheckUtil");
            }
            return null;
        });
    }
}
