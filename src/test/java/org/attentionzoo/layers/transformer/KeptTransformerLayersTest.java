package org.attentionzoo.layers.transformer;

import org.attentionzoo.layers.GradientChecks;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kept-forward runtimes of the Transformer layers ({@link KeptEncoderLayer}, {@link KeptDecoderLayer}) against
 * the SameDiff graphs of the same configurations, in double precision: a training forward pass then two backward
 * passes of the same error, the first from the kept arrays, the second (nothing kept any more) through SameDiff's
 * {@code calculateGradients} with the same dropout masks. Parameter gradients and dL/dInput agree to 1e-10
 * (relative to the largest entry), with padding on every input, POST- and PRE-LN, attention biases, a final
 * LayerNorm and both kinds of dropout; without dropout the training output equals the SameDiff inference output.
 * (The finite-difference checks of {@code EncoderLayerGradientCheckTest} / {@code DecoderLayerGradientCheckTest}
 * run their ReLU cases through the kept runtime too.)
 */
class KeptTransformerLayersTest {

    private static final int MB = 3, T = 5, T_SRC = 4, D = 8, HEADS = 2, FF = 6;
    private static final double TOLERANCE = 1e-10;

    @ParameterizedTest(name = "{0}-LN, final LN={1}, bias={2}, dropout={3}")
    @CsvSource({"POST,false,false,0.0", "PRE,true,true,0.0", "POST,false,true,0.3", "PRE,true,false,0.3"})
    void encoderLayerMatchesSameDiff(NormPosition norm, boolean finalNorm, boolean bias, double dropout) {
        Nd4j.getRandom().setSeed(11);
        EncoderLayer conf = new EncoderLayer.Builder().dModel(D).heads(HEADS).dFF(FF).normPosition(norm)
                .finalLayerNorm(finalNorm).attentionBias(bias).residualDropout(dropout).attentionDropout(dropout / 2)
                .build();
        ComputationGraph g = TransformerGraphs.layerAlone(conf, D);
        randomiseParameters(g);
        KeptEncoderLayer layer = assertInstanceOf(KeptEncoderLayer.class, g.getLayer("layer"));
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray x = TransformerGraphs.random(MB, D, T);
        INDArray mask = GradientChecks.mask(T, 5, 3, 1);
        INDArray eps = TransformerGraphs.random(MB, D, T);

        layer.setInput(x, mgr);
        layer.setMaskArray(mask);
        INDArray trained = layer.activate(true, mgr).dup();
        Pair<Gradient, INDArray> kept = layer.backpropGradient(eps.dup(), mgr);
        Map<String, INDArray> keptGrads = copy(kept.getFirst());
        INDArray keptDx = kept.getSecond().dup();
        Pair<Gradient, INDArray> sameDiff = layer.backpropGradient(eps.dup(), mgr);    // nothing kept: SameDiff

        assertClose(copy(sameDiff.getFirst()), keptGrads);
        assertClose(sameDiff.getSecond(), keptDx, "dL/dx");
        assertZeroAtPadding(keptDx, mask);
        if (dropout == 0) {
            assertClose(layer.activate(false, mgr), trained, "output");
        }
    }

    @ParameterizedTest(name = "{0}-LN, final LN={1}, bias={2}, dropout={3}")
    @CsvSource({"POST,false,false,0.0", "PRE,true,true,0.0", "POST,false,true,0.3", "PRE,true,false,0.3"})
    void decoderLayerMatchesSameDiff(NormPosition norm, boolean finalNorm, boolean bias, double dropout) {
        Nd4j.getRandom().setSeed(12);
        DecoderLayer conf = new DecoderLayer.Builder().dModel(D).heads(HEADS).dFF(FF).normPosition(norm)
                .finalLayerNorm(finalNorm).attentionBias(bias).residualDropout(dropout).attentionDropout(dropout / 2)
                .build();
        ComputationGraph g = TransformerGraphs.vertexAlone(conf, D);
        randomiseParameters(g);
        GraphVertex vertex = g.getVertex("att");
        assertInstanceOf(KeptDecoderLayer.class, vertex);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray dec = TransformerGraphs.random(MB, D, T);
        INDArray enc = TransformerGraphs.random(MB, D, T_SRC);
        INDArray decMask = GradientChecks.mask(T, 5, 2, 4);
        INDArray encMask = GradientChecks.mask(T_SRC, 4, 4, 1);
        INDArray eps = TransformerGraphs.random(MB, D, T);

        vertex.setInputs(dec, enc);
        vertex.feedForwardMaskArrays(new INDArray[]{decMask, encMask}, null, MB);
        INDArray trained = vertex.doForward(true, mgr).dup();
        vertex.setEpsilon(eps.dup());
        Pair<Gradient, INDArray[]> kept = vertex.doBackward(false, mgr);
        Map<String, INDArray> keptGrads = copy(kept.getFirst());
        INDArray[] keptIn = {kept.getSecond()[0].dup(), kept.getSecond()[1].dup()};
        vertex.setEpsilon(eps.dup());
        Pair<Gradient, INDArray[]> sameDiff = vertex.doBackward(false, mgr);

        assertClose(copy(sameDiff.getFirst()), keptGrads);
        assertClose(sameDiff.getSecond()[0], keptIn[0], "dL/d(decoder input)");
        assertClose(sameDiff.getSecond()[1], keptIn[1], "dL/d(encoder output)");
        assertZeroAtPadding(keptIn[0], decMask);
        assertZeroAtPadding(keptIn[1], encMask);
        if (dropout == 0) {
            assertClose(vertex.doForward(false, mgr), trained, "output");
        }
    }

    /**
     * Inside {@code computeGradientAndScore} the kept arrays live in DL4J's workspaces: two passes with workspaces
     * give the gradients of two passes without (where every array is a plain allocation), so nothing kept is
     * overwritten before the backward pass reads it.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"encoder", "decoder"})
    void workspacesKeepTheForwardPass(String which) {
        Nd4j.getRandom().setSeed(13);
        ComputationGraph withWorkspaces = which.equals("encoder")
                ? TransformerGraphs.layerBetween(new EncoderLayer.Builder().dModel(D).heads(HEADS).dFF(FF).build(), 3, D, 4, 5)
                : TransformerGraphs.vertexBetween(new DecoderLayer.Builder().dModel(D).heads(HEADS).dFF(FF).build(), 3, 2, D, 4, 5);
        randomiseParameters(withWorkspaces);
        org.deeplearning4j.nn.conf.ComputationGraphConfiguration plain = withWorkspaces.getConfiguration().clone();
        plain.setTrainingWorkspaceMode(org.deeplearning4j.nn.conf.WorkspaceMode.NONE);
        plain.setInferenceWorkspaceMode(org.deeplearning4j.nn.conf.WorkspaceMode.NONE);
        ComputationGraph without = new ComputationGraph(plain);
        without.init(withWorkspaces.params().dup(), false);
        assertEquals(org.deeplearning4j.nn.conf.WorkspaceMode.ENABLED,
                withWorkspaces.getConfiguration().getTrainingWorkspaceMode());
        boolean encoder = which.equals("encoder");
        INDArray[] in = encoder ? new INDArray[]{TransformerGraphs.random(MB, 3, T)}
                : new INDArray[]{TransformerGraphs.random(MB, 3, T), TransformerGraphs.random(MB, 2, T_SRC)};
        INDArray[] masks = encoder ? new INDArray[]{GradientChecks.mask(T, 5, 3, 1)}
                : new INDArray[]{GradientChecks.mask(T, 5, 2, 4), GradientChecks.mask(T_SRC, 4, 4, 1)};
        INDArray[] labels = {GradientChecks.labels(MB, 4, T, 9)};
        for (int pass = 0; pass < 2; pass++) {
            INDArray[] gradients = new INDArray[2];
            double[] scores = new double[2];
            ComputationGraph[] graphs = {withWorkspaces, without};
            for (int i = 0; i < 2; i++) {
                graphs[i].setInputs(in);
                graphs[i].setLabels(labels);
                graphs[i].setLayerMaskArrays(masks, new INDArray[]{masks[0]});
                graphs[i].computeGradientAndScore();
                gradients[i] = graphs[i].gradient().gradient().dup();
                scores[i] = graphs[i].score();
            }
            assertEquals(scores[1], scores[0], 1e-12);
            assertClose(gradients[1], gradients[0], "gradient, pass " + pass);
        }
    }

    /** Gains and biases away from 1 and 0, so that every term of the backward pass shows. */
    private static void randomiseParameters(ComputationGraph g) {
        g.params().assign(TransformerGraphs.random(g.params().shape()).muli(0.5));
        g.initGradientsView();
    }

    private static Map<String, INDArray> copy(Gradient g) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        g.gradientForVariable().forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    private static void assertClose(Map<String, INDArray> expected, Map<String, INDArray> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String key : expected.keySet()) {
            assertClose(expected.get(key), actual.get(key), key);
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(DataType.DOUBLE, actual.dataType());
        double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-3);
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(expected.amaxNumber().doubleValue() > 0 || what.startsWith("b"), what + " is all zero");
        assertTrue(diff <= TOLERANCE * scale, what + ": max difference " + diff + " (largest entry " + scale + ")");
    }

    private static void assertZeroAtPadding(INDArray ncw, INDArray mask) {
        for (int b = 0; b < mask.size(0); b++) {
            for (int t = 0; t < mask.size(1); t++) {
                if (mask.getDouble(b, t) == 0) {
                    assertEquals(0.0, ncw.get(org.nd4j.linalg.indexing.NDArrayIndex.point(b),
                            org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(t))
                            .amaxNumber().doubleValue(), "padding step " + t + " of sequence " + b);
                }
            }
        }
    }
}
