package org.attentionzoo.layers.transformer;

import org.attentionzoo.layers.GradientChecks;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Double-precision gradient checks of built-in LSTM → EncoderLayer → RnnOutputLayer: POST and PRE-LN
 * (with final LayerNorm), RELU and GELU, attention biases, with and without padding masks. The LSTM
 * below gets the right gradient only if the layer returns the right dL/dInput.
 */
class EncoderLayerGradientCheckTest {

    private static final int MB = 3, T = 4, N_IN = 3, D = 4, CLASSES = 3;

    @ParameterizedTest(name = "{0}-LN, {1}, bias={2}, masked={3}")
    @CsvSource({"POST,RELU,false,false", "POST,RELU,false,true", "PRE,GELU,true,true"})
    void gradientsMatchFiniteDifferences(NormPosition norm, FeedForwardActivation act, boolean bias, boolean masked) {
        GradientChecks.inDoublePrecision(() -> {
            Nd4j.getRandom().setSeed(3);
            EncoderLayer layer = new EncoderLayer.Builder().dModel(D).heads(2).dFF(6).activation(act)
                    .normPosition(norm).finalLayerNorm(norm == NormPosition.PRE).attentionBias(bias).build();
            ComputationGraph net = TransformerGraphs.layerBetween(layer, N_IN, D, CLASSES, 5);
            perturbLayerNorms(net);
            INDArray[] in = {TransformerGraphs.random(MB, N_IN, T)};
            INDArray[] labels = {GradientChecks.labels(MB, CLASSES, T, 9)};
            INDArray[] masks = masked ? new INDArray[]{GradientChecks.mask(T, 4, 2, 3)} : null;
            GradientChecks.Report r = GradientChecks.measure(net, in, labels, masks, masks);
            System.out.println("EncoderLayer " + norm + " " + act + " bias=" + bias + " masked=" + masked + ": " + r);
            assertTrue(r.maxRelError() < GradientChecks.MAX_REL_ERROR, "max rel error " + r.maxRelError());
            assertRatiosNearOne(r);
            if (norm == NormPosition.PRE) { // DL4J's own checker once per class: it repeats measure's differences (slow)
                assertTrue(GradientChecks.passes(net, in, labels, masks, masks), "GradientCheckUtil");
            }
            return null;
        });
    }

    /**
     * Every parameter's backprop/numerical ratio is 1 ± 1e-4, except the key bias b_K: it adds the same
     * q·b_K to all scores of a query, which the softmax ignores, so its true gradient is exactly 0 (both
     * gradients are ~1e-10 noise and their ratio means nothing; the max-relative-error check still covers it).
     */
    static void assertRatiosNearOne(GradientChecks.Report r) {
        r.ratioByParam().forEach((key, ratio) -> {
            if (!ratio.isNaN() && !key.endsWith(MultiHeadAttention.B_K)) {
                assertEquals(1.0, ratio, 1e-4, key);
            }
        });
    }

    /** Gains 1 and biases 0 would hide errors in their gradients' mixing: move them off the start values. */
    static void perturbLayerNorms(ComputationGraph net) {
        Nd4j.getRandom().setSeed(17);
        net.paramTable().forEach((k, v) -> {
            if (k.startsWith("layer_") || k.startsWith("att_")) {
                if (k.matches(".*ln.g$")) {
                    v.addi(Nd4j.rand(v.dataType(), v.shape()).subi(0.5).muli(0.4));
                } else if (k.matches(".*_(ln.b|b1|b2|bQ|bK|bV|bO|.*b[12QKVO])$")) {
                    v.addi(Nd4j.rand(v.dataType(), v.shape()).subi(0.5).muli(0.2));
                }
            }
        });
    }
}
