package org.attentionzoo.layers;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KeptBiLSTM}, the training runtime of {@link BiLSTM}, against BiLSTM's SameDiff graph in double precision:
 * a training forward pass, then two backward passes of the same error, the first from the kept arrays, the second
 * (nothing kept any more) through SameDiff's {@code calculateGradients}. Output, the six parameter gradients and
 * dL/dInput agree to 1e-10 (relative to the largest entry), with sequences of lengths 5, 3 and 1 in a batch of
 * T = 5 (the backward direction then starts at each sequence's own last token) and without a mask; padded steps
 * output 0 and get dL/dInput 0. The finite-difference check of the runtime is {@code BiLSTMGradientCheckTest}.
 */
class KeptBiLSTMTest {

    private static final int MB = 3, N_IN = 4, HIDDEN = 3, T = 5;
    private static final double TOLERANCE = 1e-10;

    @BeforeAll
    static void oneThread() {
        OneThread.use();
    }

    @Test
    void matchesSameDiffWithRaggedMask() {
        check(GradientChecks.mask(T, 5, 3, 1));
    }

    @Test
    void matchesSameDiffWithoutMask() {
        check(null);
    }

    /**
     * Inside {@code computeGradientAndScore} the kept arrays live in DL4J's workspaces: two passes with workspaces
     * give the score and gradient of two passes without (every array a plain allocation), so nothing kept is
     * overwritten before the backward pass reads it.
     */
    @Test
    void workspacesKeepTheForwardPass() {
        GradientChecks.inDoublePrecision(() -> {
            ComputationGraph with = BiLstmGraphs.init(BiLstmGraphs.tagger(DataType.DOUBLE, 7, N_IN, HIDDEN, 2));
            Nd4j.getRandom().setSeed(6);
            with.params().assign(Nd4j.rand(DataType.DOUBLE, with.params().shape()).subi(0.5));
            org.deeplearning4j.nn.conf.ComputationGraphConfiguration plain = with.getConfiguration().clone();
            plain.setTrainingWorkspaceMode(org.deeplearning4j.nn.conf.WorkspaceMode.NONE);
            plain.setInferenceWorkspaceMode(org.deeplearning4j.nn.conf.WorkspaceMode.NONE);
            ComputationGraph without = new ComputationGraph(plain);
            without.init(with.params().dup(), false);
            assertEquals(org.deeplearning4j.nn.conf.WorkspaceMode.ENABLED, with.getConfiguration().getTrainingWorkspaceMode());
            INDArray[] in = {GruGraphs.ids(DataType.DOUBLE, MB, T, 7)};
            INDArray[] labels = {GradientChecks.labels(MB, 2, T, 9)};
            INDArray[] masks = {GradientChecks.mask(T, 5, 2, 4)};
            for (int pass = 0; pass < 2; pass++) {
                INDArray[] gradients = new INDArray[2];
                double[] scores = new double[2];
                ComputationGraph[] graphs = {with, without};
                for (int i = 0; i < 2; i++) {
                    graphs[i].setInputs(in);
                    graphs[i].setLabels(labels);
                    graphs[i].setLayerMaskArrays(masks, masks);
                    graphs[i].computeGradientAndScore();
                    gradients[i] = graphs[i].gradient().gradient().dup();
                    scores[i] = graphs[i].score();
                }
                assertEquals(scores[1], scores[0], 1e-12);
                assertClose(gradients[1], gradients[0], "gradient, pass " + pass);
            }
            return null;
        });
    }

    @Test
    void lengthsOfMasks() {
        assertArrayEquals(new int[]{5, 3, 1}, SequenceReverse.Runtime.lengths(GradientChecks.mask(T, 5, 3, 1), 3, T));
        assertArrayEquals(new int[]{T, T}, SequenceReverse.Runtime.lengths(null, 2, T));
        INDArray hole = Nd4j.createFromArray(new double[][]{{1, 0, 1, 0, 0}});
        assertNull(SequenceReverse.Runtime.lengths(hole, 1, T), "a 0 before a 1 is left to the SameDiff graph");
    }

    private static void check(INDArray mask) {
        GradientChecks.inDoublePrecision(() -> {
            ComputationGraph g = BiLstmGraphs.init(BiLstmGraphs.tagger(DataType.DOUBLE, 7, N_IN, HIDDEN, 2));
            Nd4j.getRandom().setSeed(5);
            g.params().assign(Nd4j.rand(DataType.DOUBLE, g.params().shape()).subi(0.5));
            g.initGradientsView();
            KeptBiLSTM layer = assertInstanceOf(KeptBiLSTM.class, g.getLayer("enc"));
            LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
            INDArray x = Nd4j.rand(DataType.DOUBLE, MB, N_IN, T).subi(0.5).muli(2);
            INDArray eps = Nd4j.rand(DataType.DOUBLE, MB, 2 * HIDDEN, T).subi(0.5);

            layer.setInput(x, mgr);
            layer.setMaskArray(mask);
            INDArray reference = layer.activate(false, mgr).dup();          // the SameDiff graph
            INDArray trained = layer.activate(true, mgr).dup();             // kept
            assertArrayEquals(new long[]{MB, 2 * HIDDEN, T}, trained.shape());
            assertClose(reference, trained, "output");
            Pair<Gradient, INDArray> kept = layer.backpropGradient(eps.dup(), mgr);
            Map<String, INDArray> keptGrads = copy(kept.getFirst());
            INDArray keptDx = kept.getSecond().dup();
            Pair<Gradient, INDArray> sameDiff = layer.backpropGradient(eps.dup(), mgr);   // nothing kept: SameDiff

            assertEquals(6, keptGrads.size());
            Map<String, INDArray> sameDiffGrads = copy(sameDiff.getFirst());
            assertEquals(sameDiffGrads.keySet(), keptGrads.keySet());
            for (String key : keptGrads.keySet()) {
                assertClose(sameDiffGrads.get(key), keptGrads.get(key), key);
            }
            assertClose(sameDiff.getSecond(), keptDx, "dL/dx");
            if (mask != null) {
                assertZeroAtPadding(trained, mask, "output");
                assertZeroAtPadding(keptDx, mask, "dL/dx");
            }
            return null;
        });
    }

    private static Map<String, INDArray> copy(Gradient g) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        g.gradientForVariable().forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(DataType.DOUBLE, actual.dataType());
        assertArrayEquals(expected.shape(), actual.shape(), what);
        double scale = expected.amaxNumber().doubleValue();
        assertTrue(scale > 1e-3, what + " is (nearly) all zero");
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= TOLERANCE * scale, what + ": max difference " + diff + " (largest entry " + scale + ")");
    }

    private static void assertZeroAtPadding(INDArray ncw, INDArray mask, String what) {
        for (int b = 0; b < mask.size(0); b++) {
            for (int t = 0; t < mask.size(1); t++) {
                if (mask.getDouble(b, t) == 0) {
                    assertEquals(0.0, ncw.get(NDArrayIndex.point(b), NDArrayIndex.all(), NDArrayIndex.point(t))
                            .amaxNumber().doubleValue(), what + ": padding step " + t + " of sequence " + b);
                }
            }
        }
    }
}
