package org.attentionzoo.layers.attention;

import org.attentionzoo.layers.GradientChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Luong's local alignment ({@link LocalAlignment}): its weights on small cases worked out by hand, its three
 * forms (SameDiff, training pass, decoding step) equal on random inputs with padding, and its backward pass
 * against central finite differences in double.
 */
class LocalAlignmentTest {

    private static final double LN2 = Math.log(2), LN3 = Math.log(3);

    /**
     * local-m, D = 1, one sentence of 3 real positions and one padding position: query t sees s in {t−1, t, t+1}
     * ∩ {0, 1, 2}, plain softmax there. Scores chosen so the weights are simple fractions.
     */
    @Test
    void localMonotonicWeightsByHand() {
        INDArray e = Nd4j.create(new double[][][]{{
                {0, LN3, 9, 9},            // t = 0: window {0, 1}: 1/4, 3/4
                {0, LN2, Math.log(5), 9},  // t = 1: window {0, 1, 2}: 1/8, 2/8, 5/8
                {9, 0, LN3, 9}}});         // t = 2: window {1, 2} (3 is padding): 1/4, 3/4
        INDArray mask = Nd4j.create(new double[][]{{1, 1, 1, 0}});
        INDArray expected = Nd4j.create(new double[][][]{{
                {0.25, 0.75, 0, 0},
                {0.125, 0.25, 0.625, 0},
                {0, 0.25, 0.75, 0}}});
        Alignment local = AttentionSpan.LOCAL_M.create(2, 2, 1);
        INDArray q = Nd4j.rand(DataType.DOUBLE, 1, 3, 2);
        assertForms(local, expected, e, q, mask, Map.of(), 1e-12);
    }

    /**
     * local-p, D = 2 (σ = 1), h_t of size 1, W_p = [1], v_p = [2], source length S = 4 of 5:
     * h = 0 gives p = 4 · sigmoid(0) = 2, window {0, 1, 2, 3}; h = atanh(ln 3 / 2) gives sigmoid(ln 3) = 3/4, p = 3,
     * window {1, 2, 3}. Weights = window softmax · exp(−(s − p)² / 2).
     */
    @Test
    void localPredictiveWeightsByHand() {
        INDArray e = Nd4j.create(new double[][][]{{
                {0, 0, 0, 0, 9},
                {9, 0, LN2, 0, 9}}});
        INDArray mask = Nd4j.create(new double[][]{{1, 1, 1, 1, 0}});
        double h2 = 0.5 * Math.log((1 + LN3 / 2) / (1 - LN3 / 2));                 // atanh(ln 3 / 2)
        INDArray q = Nd4j.create(new double[][][]{{{0}, {h2}}});
        Map<String, INDArray> p = new HashMap<>();
        p.put(LocalAlignment.W_P, Nd4j.create(new double[][]{{1}}));
        p.put(LocalAlignment.V_P, Nd4j.create(new double[][]{{2}}));
        double g2 = Math.exp(-2), g1 = Math.exp(-0.5);
        INDArray expected = Nd4j.create(new double[][][]{{
                {g2 / 4, g1 / 4, 0.25, g1 / 4, 0},
                {0, g2 / 4, g1 / 2, 0.25, 0}}});
        assertForms(AttentionSpan.LOCAL_P.create(1, 1, 2), expected, e, q, mask, p, 1e-12);
    }

    /** The three forms agree with each other on random queries and scores, ragged sources, narrow windows. */
    @ParameterizedTest(name = "{0}, D = {1}")
    @CsvSource({"local-m,1", "local-m,2", "local-p,1", "local-p,2", "global,10"})
    void formsAgree(String span, int window) {
        Nd4j.getRandom().setSeed(21);
        Alignment a = AttentionSpan.parse(span).create(3, 2, window);
        Map<String, INDArray> p = parameters(a, 3);
        INDArray q = Nd4j.randn(DataType.DOUBLE, 3, 4, 3);
        INDArray e = Nd4j.randn(DataType.DOUBLE, 3, 4, 6);
        INDArray mask = GradientChecks.mask(6, 6, 3, 1);
        INDArray weights = a.training(e, q, mask, p).weights();
        assertForms(a, weights, e, q, mask, p, 1e-12);
        double[] rowSums = weights.sum(2).data().asDouble();
        for (double s : rowSums) {
            assertTrue(s <= 1 + 1e-12, "weights sum to at most 1: " + s);
        }
        assertEquals(0.0, weights.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.interval(3, 6))
                .amaxNumber().doubleValue(), "no weight on padding");
    }

    /** dL/de, dL/dh and the predictor's gradients of L = Σ r ⊙ a against central differences, in double. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"local-m,1", "local-p,2", "local-p,1"})
    void backwardPassMatchesFiniteDifferences(String span, int window) {
        Nd4j.getRandom().setSeed(22);
        Alignment a = AttentionSpan.parse(span).create(3, 2, window);
        Map<String, INDArray> p = parameters(a, 3);
        INDArray q = Nd4j.randn(DataType.DOUBLE, 2, 3, 3);
        INDArray e = Nd4j.randn(DataType.DOUBLE, 2, 3, 5);
        INDArray mask = GradientChecks.mask(5, 5, 4);
        INDArray r = Nd4j.randn(DataType.DOUBLE, 2, 3, 5);

        INDArray dQ = Nd4j.zeros(DataType.DOUBLE, 2 * 3, 3);
        Map<String, INDArray> grads = new HashMap<>();
        p.forEach((name, w) -> grads.put(name, Nd4j.zeros(DataType.DOUBLE, w.shape())));
        INDArray dE = a.training(e, q, mask, p).backward(r.dup(), dQ, grads);

        Map<String, INDArray> analytic = new LinkedHashMap<>(grads);
        analytic.put("e", dE);
        analytic.put("q", dQ.reshape('c', 2, 3, 3));
        Map<String, INDArray> inputs = new LinkedHashMap<>(p);
        inputs.put("e", e);
        inputs.put("q", q);
        for (Map.Entry<String, INDArray> entry : analytic.entrySet()) {
            INDArray x = inputs.get(entry.getKey());
            for (long i = 0; i < x.length(); i++) {
                double at = x.getDouble(i);
                double h = 1e-6;
                x.putScalar(i, at + h);
                double plus = a.training(e, q, mask, p).weights().mul(r).sumNumber().doubleValue();
                x.putScalar(i, at - h);
                double minus = a.training(e, q, mask, p).weights().mul(r).sumNumber().doubleValue();
                x.putScalar(i, at);
                double numeric = (plus - minus) / (2 * h);
                assertEquals(numeric, entry.getValue().getDouble(i), 1e-7 * Math.max(1, Math.abs(numeric)),
                        span + " dL/d" + entry.getKey() + "[" + i + "]");
            }
        }
        if (span.equals("local-p")) {
            assertTrue(dQ.amaxNumber().doubleValue() > 1e-4, "the predicted position passes a gradient to h_t");
        }
    }

    /**
     * A batch of one sentence of one token: DL4J hands the vertex that source mask with fewer dimensions, which
     * the SameDiff form must still read as [mb, 1, tK]. The one position is always in the window; local-p's weight
     * there is its Gaussian exp(−2 p²) (D = 1, σ = 1/2) with p = sigmoid(·) in (0, 1).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"local-m", "local-p"})
    void oneTokenSourceInABatchOfOne(String span) {
        LuongAttention conf = new LuongAttention.Builder().decoderSize(4).encoderSize(4).outputSize(3)
                .attentionSize(2).span(AttentionSpan.parse(span)).window(1).build();
        org.deeplearning4j.nn.graph.ComputationGraph net = AttentionGraphs.alone(conf, 4, 4);
        INDArray[] in = {Nd4j.rand(DataType.DOUBLE, 1, 4, 2), Nd4j.rand(DataType.DOUBLE, 1, 4, 1)};
        INDArray[] masks = {Nd4j.ones(DataType.DOUBLE, 1, 2), Nd4j.ones(DataType.DOUBLE, 1, 1)};
        INDArray out = net.output(false, in, masks)[0];
        assertEquals("[1, 3, 2]", java.util.Arrays.toString(out.shape()));
        INDArray a = AlignmentProbe.alignments(net, "att", in, masks);                 // [1, 2, 1]
        for (double w : a.data().asDouble()) {
            if (span.equals("local-m")) {
                assertTrue(w == 1.0 || w == 0.0, "t = 0 sees s = 0 alone, t = 1 too (|1 − 0| ≤ 1): " + a);
            } else {
                assertTrue(w > Math.exp(-2) - 1e-6 && w < 1, "exp(−2 p²) with p in (0, 1): " + a);
            }
        }
    }

    @Test
    void windowMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> AttentionSpan.LOCAL_M.create(2, 2, 0));
        assertEquals(AttentionSpan.LOCAL_P, AttentionSpan.parse("Local-P"));
        assertEquals("local-m", AttentionSpan.LOCAL_M.toString());
    }

    /** Random predictor parameters, large enough that p_t moves across the source. */
    private static Map<String, INDArray> parameters(Alignment a, double scale) {
        org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams declared =
                new org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams();
        a.defineParameters(declared);
        Map<String, INDArray> p = new LinkedHashMap<>();
        declared.getParamShapes().forEach((name, shape) -> p.put(name, Nd4j.randn(DataType.DOUBLE, shape).muli(scale)));
        return p;
    }

    /** The SameDiff form, the training pass and the decoding step (one row per query) all give {@code expected}. */
    private static void assertForms(Alignment a, INDArray expected, INDArray e, INDArray q, INDArray mask,
                                    Map<String, INDArray> p, double tolerance) {
        assertClose(expected, a.training(e, q, mask, p).weights(), tolerance, a + " training pass");

        SameDiff sd = SameDiff.create();
        Map<String, SDVariable> vars = new HashMap<>();
        p.forEach((name, w) -> vars.put(name, sd.var(name, w.dup())));
        INDArray graph = a.weights(sd, sd.constant("e", e), sd.constant("q", q), sd.constant("m", mask), vars).eval();
        assertClose(expected, graph, tolerance, a + " SameDiff form");

        long mb = e.size(0), tQ = e.size(1), tK = e.size(2);
        INDArray stepped = Nd4j.create(DataType.DOUBLE, mb, tQ, tK);
        for (int t = 0; t < tQ; t++) {
            INDArray rows = q.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()).dup('c');   // [mb, dQ]
            Alignment.Step step = a.step(rows, Nd4j.valueArrayOf(new long[]{mb, 1}, (double) t), mask, p);
            INDArray scores = e.get(NDArrayIndex.all(), NDArrayIndex.interval(t, t + 1), NDArrayIndex.all()).dup('c');
            INDArray w = MaskedSoftmax.apply(scores, step.keep()).reshape('c', mb, tK);
            if (step.factor() != null) {
                w.muli(step.factor());
            }
            stepped.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()).assign(w);
        }
        assertClose(expected, stepped, tolerance, a + " decoding step");
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what);
        for (double x : actual.castTo(DataType.DOUBLE).data().asDouble()) {
            assertTrue(Double.isFinite(x), what + ": not finite " + actual);
        }
        double diff = expected.sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff < tolerance, what + ": max |difference| " + diff + "\nexpected " + expected + "\nactual " + actual);
    }
}
