package org.attentionzoo.layers.transformer;

import org.attentionzoo.layers.DropoutSameDiffLayer;
import org.attentionzoo.layers.FixedSameDiffGraphVertex;
import org.attentionzoo.layers.GradientChecks;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dropout inside the Transformer layers (Vaswani et al. 2017, section 5.4): off at inference (the output is
 * bitwise that of the same weights without dropout), on in training with the expected share of each
 * sub-layer's output dropped and the survivors scaled by 1/(1 − p), the attention weights dropped likewise,
 * and a gradient that belongs to the masks the forward pass drew.
 *
 * <p>The sub-layer outputs are observed directly: in a PRE-LN layer y = x + Dropout(Sublayer(LN(x))) per
 * sub-layer, so with every sub-layer but one made to output 0 and that one a constant c (a zero weight and
 * the constant as its output bias), y − x = mask ⊙ c.
 */
class ResidualDropoutTest {

    private static final int D = 8, H = 2;

    private static EncoderLayer.Builder encoder(NormPosition norm) {
        return new EncoderLayer.Builder().dModel(D).heads(H).dFF(16).normPosition(norm).attentionBias(true);
    }

    private static DecoderLayer.Builder decoder(NormPosition norm) {
        return new DecoderLayer.Builder().dModel(D).heads(H).dFF(16).normPosition(norm).attentionBias(true);
    }

    @Test
    void encoderAtInferenceIsExactlyTheLayerWithoutDropout() {
        GradientChecks.inDoublePrecision(() -> {
            ComputationGraph plain = TransformerGraphs.layerAlone(encoder(NormPosition.POST).build(), D);
            ComputationGraph dropped = TransformerGraphs.layerAlone(encoder(NormPosition.POST).residualDropout(0.3)
                    .attentionDropout(0.2).build(), D);
            dropped.setParams(plain.params());
            INDArray[] in = {TransformerGraphs.random(3, D, 5)};
            INDArray[] masks = {GradientChecks.mask(5, 5, 3, 4)};
            INDArray expected = plain.output(false, in, masks)[0];
            assertEquals(expected, dropped.output(false, in, masks)[0]);
            assertEquals(expected, dropped.output(false, in, masks)[0], "deterministic");
            assertEquals(plain.feedForward(in, false).get("layer"), dropped.feedForward(in, false).get("layer"));

            INDArray train1 = dropped.output(true, in, masks)[0];
            INDArray train2 = dropped.output(true, in, masks)[0];
            assertNotEquals(train1, train2, "a new mask on every training pass");
            assertNotEquals(expected, train1);
            assertEquals(expected, dropped.output(false, in, masks)[0], "and inference again after training passes");
            assertEquals(0.0, train1.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.interval(3, 5))
                    .amaxNumber().doubleValue(), "padded steps stay exactly 0 in training");
            return null;
        });
    }

    @Test
    void decoderAtInferenceIsExactlyTheLayerWithoutDropout() {
        GradientChecks.inDoublePrecision(() -> {
            ComputationGraph plain = TransformerGraphs.vertexBetween(decoder(NormPosition.POST).build(), 3, 3, D, 5, 2);
            ComputationGraph dropped = TransformerGraphs.vertexBetween(decoder(NormPosition.POST).residualDropout(0.3)
                    .attentionDropout(0.2).build(), 3, 3, D, 5, 2);
            dropped.setParams(plain.params());
            INDArray[] in = {TransformerGraphs.random(2, 3, 4), TransformerGraphs.random(2, 3, 6)};
            INDArray[] masks = {GradientChecks.mask(4, 4, 2), GradientChecks.mask(6, 6, 5)};
            INDArray expected = plain.output(false, in, masks)[0];
            assertEquals(expected, dropped.output(false, in, masks)[0]);
            INDArray train1 = dropped.output(true, in, masks)[0];
            assertNotEquals(train1, dropped.output(true, in, masks)[0]);
            assertNotEquals(expected, train1);
            assertEquals(expected, dropped.output(false, in, masks)[0]);
            return null;
        });
    }

    @Test
    void encoderDropsTheExpectedShareOfEachSubLayerOutput() {
        GradientChecks.inDoublePrecision(() -> {
            double p = 0.25;
            ComputationGraph g = TransformerGraphs.layerAlone(encoder(NormPosition.PRE).residualDropout(p).build(), D);
            INDArray[] in = {TransformerGraphs.random(16, D, 10)};                      // 1280 values per mask
            zero(g, "layer_WV", "layer_W2", "layer_b2");
            fill(g, "layer_bO", 0.7);                     // self-attention outputs 0.7 everywhere, the FFN 0
            checkDropped(g, in, "in", "layer", EncoderLayer.DROP_ATTENTION, 0.7, p);
            fill(g, "layer_bO", 0.0);
            fill(g, "layer_b2", -0.5);                    // now the FFN outputs -0.5 and attention 0
            checkDropped(g, in, "in", "layer", EncoderLayer.DROP_FFN, -0.5, p);
            return null;
        });
    }

    @Test
    void decoderDropsTheExpectedShareOfEachOfItsThreeSubLayerOutputs() {
        GradientChecks.inDoublePrecision(() -> {
            double p = 0.4;
            ComputationGraph g = TransformerGraphs.vertexBetween(decoder(NormPosition.PRE).residualDropout(p).build(),
                    3, 3, D, 5, 4);
            INDArray[] in = {TransformerGraphs.random(16, 3, 10), TransformerGraphs.random(16, 3, 7)};
            zero(g, "att_selfWV", "att_crossWV", "att_W2", "att_b2", "att_selfbO", "att_crossbO");
            String[][] cases = {{"att_selfbO", DecoderLayer.DROP_SELF}, {"att_crossbO", DecoderLayer.DROP_CROSS},
                    {"att_b2", DecoderLayer.DROP_FFN}};
            for (String[] c : cases) {
                fill(g, c[0], 1.5);
                checkDropped(g, in, "decrnn", "att", c[1], 1.5, p);
                fill(g, c[0], 0.0);
            }
            return null;
        });
    }

    /**
     * One training forward pass ({@code below}: the layer's input vertex or graph input): y − x must be the mask the runtime reports times c, with a share p ± 4σ of
     * zeros and every other value exactly c / (1 − p).
     */
    private static void checkDropped(ComputationGraph g, INDArray[] in, String below, String layer, String maskName,
                                     double c, double p) {
        Map<String, INDArray> acts = g.feedForward(in, true, false);
        INDArray diff = acts.get(layer).sub(acts.containsKey(below) ? acts.get(below) : in[0]);  // [mb, d, t]
        Map<String, INDArray> masks = g.getVertex(layer).hasLayer() && g.getLayer(layer) instanceof DropoutSameDiffLayer l
                ? l.lastDropoutMasks() : ((FixedSameDiffGraphVertex) g.getVertex(layer)).lastDropoutMasks();
        INDArray mask = masks.get(maskName).permute(0, 2, 1);                          // [mb, t, d] → [mb, d, t]
        assertEquals(0.0, diff.sub(mask.mul(c)).amaxNumber().doubleValue(), 1e-12, maskName + ": y − x = mask · c");
        long n = diff.length();
        long zeros = n - diff.neq(0.0).castTo(DataType.INT).sumNumber().longValue();
        double sigma = Math.sqrt(p * (1 - p) / n);
        assertEquals(p, (double) zeros / n, 4 * sigma, maskName + ": share dropped");
        INDArray kept = diff.neq(0.0);
        assertEquals(0.0, diff.sub(c / (1 - p)).mul(kept.castTo(DataType.DOUBLE)).amaxNumber().doubleValue(), 1e-12,
                maskName + ": survivors scaled by 1/(1 − p)");
    }

    @Test
    void attentionDropoutDropsWeightsBeforeTheValuesAreAveraged() {
        GradientChecks.inDoublePrecision(() -> {
            double p = 0.5;
            int mb = 8, t = 6;
            ComputationGraph g = TransformerGraphs.layerAlone(new EncoderLayer.Builder().dModel(D).heads(H).dFF(16)
                    .normPosition(NormPosition.PRE).attentionDropout(p).build(), D);
            // Q = K = 0: uniform weights 1/t. Every step the same vector r: every value row is v = LN(r) (W_V = I).
            // W_O = I and the FFN 0: y − x = per head, v's columns times (kept weights in the row) / (t (1 − p)).
            zero(g, "layer_WQ", "layer_WK", "layer_W2", "layer_b2");
            g.paramTable().get("layer_WV").assign(Nd4j.eye(D));
            g.paramTable().get("layer_WO").assign(Nd4j.eye(D));
            INDArray r = TransformerGraphs.random(D);
            INDArray x = Nd4j.zeros(DataType.DOUBLE, mb, D, t);
            for (int i = 0; i < mb; i++) {
                for (int s = 0; s < t; s++) {
                    x.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.point(s)).assign(r);
                }
            }
            INDArray centred = r.sub(r.meanNumber());
            INDArray v = centred.div(Math.sqrt(centred.mul(centred).meanNumber().doubleValue() + Blocks.LAYER_NORM_EPS));

            Map<String, INDArray> acts = g.feedForward(new INDArray[]{x}, true, false);
            INDArray diff = acts.get("layer").sub(x);                                   // [mb, d, t]
            INDArray weightMask = ((DropoutSameDiffLayer) g.getLayer("layer")).lastDropoutMasks()
                    .get(EncoderLayer.DROP_WEIGHTS);                                    // [mb, h, t, t]
            long dK = D / H;
            double keptShare = 0;
            for (int i = 0; i < mb; i++) {
                for (int h = 0; h < H; h++) {
                    for (int q = 0; q < t; q++) {
                        long kept = weightMask.get(NDArrayIndex.point(i), NDArrayIndex.point(h), NDArrayIndex.point(q),
                                NDArrayIndex.all()).neq(0.0).castTo(DataType.INT).sumNumber().longValue();
                        keptShare += kept;
                        double factor = kept / (t * (1 - p));
                        for (long j = h * dK; j < (h + 1) * dK; j++) {
                            assertEquals(v.getDouble(j) * factor, diff.getDouble(i, j, q), 1e-12);
                        }
                    }
                }
            }
            keptShare /= (double) mb * H * t * t;
            assertEquals(1 - p, keptShare, 4 * Math.sqrt(p * (1 - p) / (mb * H * t * t)), "share of weights kept");
            assertTrue(diff.amaxNumber().doubleValue() > 0.1, "the attention output is measurable");
            return null;
        });
    }

    @Test
    void gradientsWithDropoutBelongToTheForwardPassMasks() {
        // DL4J's checker calls the hook before each forward pass: reseeding ND4J's generator there makes every
        // pass draw the same masks, so backprop matches the finite differences only if it used those masks.
        // d_model 4 and at most 6 entries of each parameter array keep it to some seconds.
        GradientChecks.inDoublePrecision(() -> {
            int d = 4;
            EncoderLayer enc = new EncoderLayer.Builder().dModel(d).heads(H).dFF(6).attentionBias(true)
                    .residualDropout(0.3).attentionDropout(0.3).build();
            ComputationGraph net = TransformerGraphs.layerBetween(enc, 3, d, 3, 5);
            INDArray[] in = {TransformerGraphs.random(3, 3, 4)};
            INDArray[] labels = {GradientChecks.labels(3, 3, 4, 9)};
            INDArray[] masks = {GradientChecks.mask(4, 4, 2, 3)};
            assertTrue(check(net, in, labels, masks, masks), "EncoderLayer with dropout");

            DecoderLayer dec = new DecoderLayer.Builder().dModel(d).heads(H).dFF(6).attentionBias(true)
                    .normPosition(NormPosition.PRE).finalLayerNorm(true).residualDropout(0.3).attentionDropout(0.3).build();
            ComputationGraph vnet = TransformerGraphs.vertexBetween(dec, 3, 3, d, 3, 6);
            INDArray[] vin = {TransformerGraphs.random(3, 3, 4), TransformerGraphs.random(3, 3, 5)};
            INDArray[] vmasks = {GradientChecks.mask(4, 4, 2, 3), GradientChecks.mask(5, 5, 5, 2)};
            assertTrue(check(vnet, vin, labels, vmasks, new INDArray[]{vmasks[0]}), "DecoderLayer with dropout");
            return null;
        });
    }

    private static boolean check(ComputationGraph net, INDArray[] in, INDArray[] labels, INDArray[] inMasks,
                                 INDArray[] labelMasks) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(net).inputs(in).labels(labels).inputMask(inMasks).labelMask(labelMasks)
                .epsilon(GradientChecks.EPSILON).maxRelError(GradientChecks.MAX_REL_ERROR)
                .minAbsoluteError(GradientChecks.MIN_ABS_ERROR)
                .callEachIter(n -> Nd4j.getRandom().setSeed(12345)).subset(true).maxPerParam(6)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false));
    }

    @Test
    void noDropoutMeansNoMasksAndBuildersCheckTheProbability() {
        GradientChecks.inDoublePrecision(() -> {
            ComputationGraph g = TransformerGraphs.layerAlone(encoder(NormPosition.POST).build(), D);
            g.output(true, TransformerGraphs.random(2, D, 3));
            assertTrue(((DropoutSameDiffLayer) g.getLayer("layer")).lastDropoutMasks().isEmpty());
            return null;
        });
        assertThrows(IllegalArgumentException.class, () -> encoder(NormPosition.POST).residualDropout(1.0).build());
        assertThrows(IllegalArgumentException.class, () -> decoder(NormPosition.POST).attentionDropout(-0.1).build());
        assertFalse(encoder(NormPosition.POST).residualDropout(0.1).build()
                .equals(encoder(NormPosition.POST).build()), "dropout is part of the configuration");
    }

    @Test
    void configurationsKeepTheirDropoutThroughJsonAndOlderJsonMeansNone() {
        ComputationGraph g = SerializationTest.tinyTransformer(NormPosition.POST);
        ComputationGraphConfiguration plain = g.getConfiguration();
        String oldJson = plain.toJson().replaceAll(",?\\s*\"(residualDropout|attentionDropout)\"\\s*:\\s*0\\.0", "");
        assertFalse(oldJson.contains("residualDropout"), "the JSON of a graph saved before the fields existed");
        assertEquals(plain, ComputationGraphConfiguration.fromJson(oldJson));

        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in", "enc").setInputTypes(InputType.recurrent(D), InputType.recurrent(D))
                .addLayer("layer", encoder(NormPosition.PRE).residualDropout(0.1).attentionDropout(0.2).build(), "in")
                .addVertex("dec", decoder(NormPosition.PRE).residualDropout(0.3).attentionDropout(0.4).build(), "layer", "enc")
                .setOutputs("dec");
        ComputationGraphConfiguration conf = b.build();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        EncoderLayer enc = (EncoderLayer) ((LayerVertex) back.getVertices().get("layer")).getLayerConf().getLayer();
        DecoderLayer dec = (DecoderLayer) back.getVertices().get("dec");
        assertEquals(0.1, enc.getResidualDropout());
        assertEquals(0.2, enc.getAttentionDropout());
        assertEquals(0.3, dec.residualDropout());
        assertEquals(0.4, dec.attentionDropout());
    }

    private static void zero(ComputationGraph g, String... keys) {
        for (String k : keys) {
            fill(g, k, 0.0);
        }
    }

    /** Sets a parameter of a layer or vertex ({@code ComputationGraph.getParam} knows layers only). */
    private static void fill(ComputationGraph g, String key, double value) {
        g.paramTable().get(key).assign(value);
    }
}
