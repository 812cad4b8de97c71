package org.attentionzoo.layers.attention;

import org.attentionzoo.util.DirectBuffers;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every form of every score ({@link AttentionScore}) against the others and against the score computed by hand
 * from its equation: the SameDiff form, the array form, the training pass's scores, the one-query decoding step
 * (in float), and the training pass's backward pass against central finite differences in double. A new score
 * is one row of {@link #scores()}.
 */
class ScoreFormsTest {

    private static final int MB = 2, T_Q = 2, T_K = 3, D_Q = 3, D_K = 3, D_A = 2;

    /** e = score(q, k) by hand from the equation, on the score's own parameters. */
    @FunctionalInterface
    interface HandScore {
        double of(Map<String, INDArray> p, double[] q, double[] k);
    }

    /** One row per score: its constant and its equation. */
    static Stream<Arguments> scores() {
        HandScore concat = (p, q, k) -> {                                   // v_a · tanh(W_qᵀ q + W_kᵀ k)
            double e = 0;
            for (int a = 0; a < D_A; a++) {
                double x = 0;
                for (int i = 0; i < D_Q; i++) {
                    x += q[i] * p.get(ConcatScore.W_Q).getDouble(i, a);
                }
                for (int j = 0; j < D_K; j++) {
                    x += k[j] * p.get(ConcatScore.W_K).getDouble(j, a);
                }
                e += p.get(ConcatScore.V_A).getDouble(0, a) * Math.tanh(x);
            }
            return e;
        };
        return Stream.of(
                Arguments.of(ScoreType.DOT, (HandScore) (p, q, k) -> {          // qᵀ k
                    double e = 0;
                    for (int i = 0; i < D_Q; i++) {
                        e += q[i] * k[i];
                    }
                    return e;
                }),
                Arguments.of(ScoreType.GENERAL, (HandScore) (p, q, k) -> {      // qᵀ W_a k
                    double e = 0;
                    for (int i = 0; i < D_Q; i++) {
                        for (int j = 0; j < D_K; j++) {
                            e += q[i] * p.get(GeneralScore.W_A).getDouble(i, j) * k[j];
                        }
                    }
                    return e;
                }),
                Arguments.of(ScoreType.CONCAT, concat),
                Arguments.of(ScoreType.ADDITIVE, concat));
    }

    @Test
    void everyScoreTypeHasARow() {
        Set<ScoreType> rows = scores().map(a -> (ScoreType) a.get()[0]).collect(Collectors.toSet());
        assertEquals(EnumSet.allOf(ScoreType.class), rows);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scores")
    void everyFormEqualsTheEquation(ScoreType type, HandScore hand) {
        Nd4j.getRandom().setSeed(7);
        AttentionScore score = type.create(D_Q, D_K, D_A);
        Map<String, INDArray> p = parameters(score, DataType.DOUBLE);
        INDArray q = Nd4j.rand(DataType.DOUBLE, MB, T_Q, D_Q).subi(0.5).muli(2);
        INDArray k = Nd4j.rand(DataType.DOUBLE, MB, T_K, D_K).subi(0.5).muli(2);

        INDArray expected = Nd4j.create(DataType.DOUBLE, MB, T_Q, T_K);
        for (int b = 0; b < MB; b++) {
            for (int t = 0; t < T_Q; t++) {
                for (int s = 0; s < T_K; s++) {
                    expected.putScalar(new int[]{b, t, s}, hand.of(p, row(q, b, t), row(k, b, s)));
                }
            }
        }
        assertClose(expected, score.scores(q, score.prepareKeys(k, p), p), 1e-12, "array form");
        assertClose(expected, sameDiff(score, q, k, p), 1e-12, "SameDiff form");
        assertClose(expected, score.training(q, k, p).scores(), 1e-12, "training pass");
        assertClose(expected, queryStep(score, q, k, p), 1e-5, "one-query step (float)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scores")
    void backwardPassMatchesFiniteDifferences(ScoreType type, HandScore hand) {
        Nd4j.getRandom().setSeed(8);
        AttentionScore score = type.create(D_Q, D_K, D_A);
        Map<String, INDArray> p = parameters(score, DataType.DOUBLE);
        INDArray q = Nd4j.rand(DataType.DOUBLE, MB, T_Q, D_Q).subi(0.5).muli(2);
        INDArray k = Nd4j.rand(DataType.DOUBLE, MB, T_K, D_K).subi(0.5).muli(2);
        INDArray r = Nd4j.randn(DataType.DOUBLE, MB, T_Q, T_K);            // L = Σ r ⊙ E, so dL/dE = r

        INDArray dQ = Nd4j.zeros(DataType.DOUBLE, MB * T_Q, D_Q);
        INDArray dK = Nd4j.zeros(DataType.DOUBLE, MB, T_K, D_K);
        Map<String, INDArray> grads = new HashMap<>();
        p.forEach((name, w) -> grads.put(name, Nd4j.zeros(DataType.DOUBLE, w.shape())));
        score.training(q, k, p).backward(r, dQ, dK, grads);

        Map<String, INDArray> analytic = new LinkedHashMap<>(grads);
        analytic.put("q", dQ.reshape('c', MB, T_Q, D_Q));
        analytic.put("k", dK);
        Map<String, INDArray> perturbed = new LinkedHashMap<>(p);
        perturbed.put("q", q);
        perturbed.put("k", k);
        for (Map.Entry<String, INDArray> e : analytic.entrySet()) {
            INDArray x = perturbed.get(e.getKey());
            for (long i = 0; i < x.length(); i++) {
                double at = x.getDouble(i);
                double h = 1e-6;
                x.putScalar(i, at + h);
                double plus = loss(score, q, k, p, r);
                x.putScalar(i, at - h);
                double minus = loss(score, q, k, p, r);
                x.putScalar(i, at);
                double numeric = (plus - minus) / (2 * h);
                double got = e.getValue().getDouble(i);
                assertEquals(numeric, got, 1e-7 * Math.max(1, Math.abs(numeric)), type + " dL/d" + e.getKey() + "[" + i + "]");
            }
        }
        assertTrue(dK.amaxNumber().doubleValue() > 1e-3 && dQ.amaxNumber().doubleValue() > 1e-3, "gradients reach q and k");
    }

    private static double loss(AttentionScore score, INDArray q, INDArray k, Map<String, INDArray> p, INDArray r) {
        return score.scores(q, score.prepareKeys(k, p), p).mul(r).sumNumber().doubleValue();
    }

    /** The score's parameters, declared as the enclosing layer would and initialised by the score. */
    static Map<String, INDArray> parameters(AttentionScore score, DataType type) {
        SDLayerParams declared = new SDLayerParams();
        score.defineParameters(declared);
        Map<String, INDArray> p = new LinkedHashMap<>();
        declared.getParamShapes().forEach((name, shape) -> p.put(name, Nd4j.create(type, shape)));
        score.initializeParameters(p);
        p.values().forEach(w -> w.muli(2));                                  // scores far from 0, tanh not linear
        return p;
    }

    private static INDArray sameDiff(AttentionScore score, INDArray q, INDArray k, Map<String, INDArray> p) {
        SameDiff sd = SameDiff.create();
        Map<String, SDVariable> vars = new HashMap<>();
        p.forEach((name, w) -> vars.put(name, sd.var(name, w.dup())));
        SDVariable e = score.scores(sd, sd.constant("q", q), score.prepareKeys(sd, sd.constant("k", k), vars), vars);
        return e.eval();
    }

    /** Every query row through the score's one-query step against its own sentence's prepared keys, in float. */
    private static INDArray queryStep(AttentionScore score, INDArray q, INDArray k, Map<String, INDArray> p) {
        Map<String, INDArray> pf = new HashMap<>();
        p.forEach((name, w) -> pf.put(name, w.castTo(DataType.FLOAT).dup('c')));
        AttentionScore.QueryStep step = score.queryStep(pf);
        assertNotNull(step, "every score here has a one-query step");
        INDArray keys = score.prepareKeys(k.castTo(DataType.FLOAT), pf);            // [mb, tK, dP]
        INDArray prepared = step.prepareQueries(q.castTo(DataType.FLOAT).reshape('c', MB * T_Q, D_Q).dup('c'));
        AttentionScore.RowScore rowScore = step.rowScore();
        INDArray out = Nd4j.create(DataType.DOUBLE, MB, T_Q, T_K);
        for (int b = 0; b < MB; b++) {
            float[] block = new float[(int) (keys.size(1) * keys.size(2))];
            DirectBuffers.floats(keys.get(org.nd4j.linalg.indexing.NDArrayIndex.point(b)).dup('c')).get(0, block);
            for (int t = 0; t < T_Q; t++) {
                float[] row = new float[(int) prepared.size(1)];
                DirectBuffers.floats(prepared.getRow(b * T_Q + t).dup('c')).get(0, row);
                for (int s = 0; s < T_K; s++) {
                    out.putScalar(new int[]{b, t, s}, rowScore.of(row, block, s));
                }
            }
        }
        return out;
    }

    private static double[] row(INDArray x, int b, int t) {
        double[] r = new double[(int) x.size(2)];
        for (int i = 0; i < r.length; i++) {
            r[i] = x.getDouble(b, t, i);
        }
        return r;
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what);
        double diff = expected.sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff < tolerance, what + ": max |difference| " + diff);
    }
}
