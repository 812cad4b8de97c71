package org.attentionzoo.layers.transformer;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MultiHeadAttention against the equations computed in plain Java on a tiny hand-made case: d_model 4, h 2
 * (d_k 2), projections with biases, a key padding mask and (for self-attention) the causal mask; and the
 * masked weights are exactly 0. Also against libnd4j's {@code multi_head_dot_product_attention} with the weight
 * mapping documented in {@link MultiHeadAttention}.
 */
class MultiHeadAttentionReferenceTest {

    private static final int D = 4, H = 2, DK = 2;

    /** Hand-made numbers: [mb=2, t=3, d=4] inputs, [4, 4] weights, [1, 4] biases. */
    private static INDArray x() {
        return Nd4j.createFromArray(new double[][][]{
                {{1, 0, -1, 2}, {0.5, 1, 0, -1}, {2, -0.5, 1, 0}},
                {{0, 1, 1, 0}, {-1, 0.5, 2, 1}, {9, 9, 9, 9}}});               // last step of #2 is padding
    }

    private static INDArray matrix(double seed) {
        INDArray w = Nd4j.create(DataType.DOUBLE, D, D);
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                w.putScalar(i, j, Math.sin(seed + 1.3 * i + 0.7 * j) * 0.8);
            }
        }
        return w;
    }

    private static INDArray bias(double seed) {
        INDArray b = Nd4j.create(DataType.DOUBLE, 1, D);
        for (int j = 0; j < D; j++) {
            b.putScalar(0, j, Math.cos(seed + j) * 0.3);
        }
        return b;
    }

    @Test
    void matchesHandComputedAttention() {
        for (boolean causal : new boolean[]{false, true}) {
            INDArray x = x();
            INDArray keyMask = Nd4j.createFromArray(new double[][]{{1, 1, 1}, {1, 1, 0}});
            Map<String, INDArray> w = new HashMap<>();
            String[] keys = {"WQ", "WK", "WV", "WO", "bQ", "bK", "bV", "bO"};
            for (int i = 0; i < keys.length; i++) {
                w.put(keys[i], i < 4 ? matrix(i) : bias(i));
            }
            SameDiff sd = SameDiff.create();
            Map<String, SDVariable> params = new HashMap<>();
            w.forEach((k, v) -> params.put(k, sd.constant(k, v)));
            SDVariable in = sd.constant("x", x);
            MultiHeadAttention.Result r = new MultiHeadAttention(D, H, true)
                    .attend(sd, in, in, sd.constant("m", keyMask), causal, params, "");
            INDArray out = r.output().eval().dup();
            INDArray weights = r.weights().eval().dup();

            for (int b = 0; b < 2; b++) {
                double[][] xb = x.slice(b).toDoubleMatrix();
                double[][] q = affine(xb, w.get("WQ"), w.get("bQ"));
                double[][] k = affine(xb, w.get("WK"), w.get("bK"));
                double[][] v = affine(xb, w.get("WV"), w.get("bV"));
                double[][] concat = new double[3][D];
                for (int head = 0; head < H; head++) {
                    for (int t = 0; t < 3; t++) {
                        double[] a = new double[3];
                        double max = Double.NEGATIVE_INFINITY;
                        for (int s = 0; s < 3; s++) {
                            boolean visible = keyMask.getDouble(b, s) == 1 && (!causal || s <= t);
                            if (visible) {
                                double dot = 0;
                                for (int j = 0; j < DK; j++) {
                                    dot += q[t][head * DK + j] * k[s][head * DK + j];
                                }
                                a[s] = dot / Math.sqrt(DK);
                                max = Math.max(max, a[s]);
                            } else {
                                a[s] = Double.NaN;
                            }
                        }
                        double sum = 0;
                        for (int s = 0; s < 3; s++) {
                            a[s] = Double.isNaN(a[s]) ? 0 : Math.exp(a[s] - max);
                            sum += a[s];
                        }
                        for (int s = 0; s < 3; s++) {
                            a[s] /= sum;
                            if (a[s] == 0) {
                                assertEquals(0.0, weights.getDouble(b, head, t, s), "masked weight exactly 0");
                            } else {
                                assertEquals(a[s], weights.getDouble(b, head, t, s), 1e-12);
                            }
                            for (int j = 0; j < DK; j++) {
                                concat[t][head * DK + j] += a[s] * v[s][head * DK + j];
                            }
                        }
                    }
                }
                double[][] expected = affine(concat, w.get("WO"), w.get("bO"));
                for (int t = 0; t < 3; t++) {
                    for (int j = 0; j < D; j++) {
                        assertEquals(expected[t][j], out.getDouble(b, t, j), 1e-12, "causal=" + causal);
                    }
                }
            }
        }
    }

    private static double[][] affine(double[][] x, INDArray w, INDArray b) {
        double[][] y = new double[x.length][(int) w.size(1)];
        for (int t = 0; t < x.length; t++) {
            for (int j = 0; j < w.size(1); j++) {
                double s = b.getDouble(0, j);
                for (int i = 0; i < w.size(0); i++) {
                    s += x[t][i] * w.getDouble(i, j);
                }
                y[t][j] = s;
            }
        }
        return y;
    }

    /**
     * Same function as libnd4j's multi-head attention on the same weights. Mapping (no biases, no causal mask):
     * Wq[i, j, f] = W_Q[f, i·d_k + j], i.e. {@code W_Q.reshape(d_model, h, d_k).permute(1, 2, 0)}, the same
     * for W_K and W_V; Wo = W_O. Their inputs and output are [mb, d, t], ours [mb, t, d].
     */
    @Test
    void agreesWithLibnd4jMultiHeadAttention() {
        Nd4j.getRandom().setSeed(5);
        int mb = 2, tQ = 3, tK = 5, d = 6, h = 3, dk = 2;
        INDArray queries = Nd4j.rand(DataType.DOUBLE, mb, tQ, d).subi(0.5);
        INDArray memory = Nd4j.rand(DataType.DOUBLE, mb, tK, d).subi(0.5);
        INDArray keyMask = Nd4j.createFromArray(new double[][]{{1, 1, 1, 1, 1}, {1, 1, 0, 0, 0}});
        Map<String, INDArray> w = new HashMap<>();
        for (String k : new String[]{"WQ", "WK", "WV", "WO"}) {
            w.put(k, Nd4j.rand(DataType.DOUBLE, d, d).subi(0.5));
        }
        SameDiff sd = SameDiff.create();
        Map<String, SDVariable> params = new HashMap<>();
        w.forEach((k, v) -> params.put(k, sd.constant(k, v)));
        SDVariable q = sd.constant("q", queries);
        SDVariable m = sd.constant("mem", memory);
        SDVariable mask = sd.constant("mask", keyMask);
        INDArray ours = new MultiHeadAttention(d, h, false).attend(sd, q, m, mask, false, params, "").output().eval().dup();

        SDVariable theirs = sd.nn().multiHeadDotProductAttention(sd.permute(q, 0, 2, 1), sd.permute(m, 0, 2, 1),
                sd.permute(m, 0, 2, 1), sd.constant(toLibnd4j(w.get("WQ"), h, dk)), sd.constant(toLibnd4j(w.get("WK"), h, dk)),
                sd.constant(toLibnd4j(w.get("WV"), h, dk)), params.get("WO"), mask, true);
        INDArray theirsBtd = theirs.eval().permute(0, 2, 1).dup();           // [mb, d, tQ] -> [mb, tQ, d]
        System.out.println("max |ours - libnd4j MHA| = " + maxAbs(ours.sub(theirsBtd)));
        assertEquals(0.0, maxAbs(ours.sub(theirsBtd)), 1e-10);
        // The comparison can fail: without the 1/√d_k scaling or without the mask libnd4j's result differs.
        INDArray unscaled = sd.nn().multiHeadDotProductAttention(sd.permute(q, 0, 2, 1), sd.permute(m, 0, 2, 1),
                sd.permute(m, 0, 2, 1), sd.constant(toLibnd4j(w.get("WQ"), h, dk)), sd.constant(toLibnd4j(w.get("WK"), h, dk)),
                sd.constant(toLibnd4j(w.get("WV"), h, dk)), params.get("WO"), mask, false).eval().permute(0, 2, 1).dup();
        INDArray unmasked = new MultiHeadAttention(d, h, false).attend(sd, q, m, null, false, params, "").output().eval();
        assertTrue(maxAbs(ours.sub(unscaled)) > 1e-3, "scaling matters");
        assertTrue(maxAbs(ours.sub(unmasked)) > 1e-3, "mask matters");
        assertTrue(maxAbs(ours) > 1e-2, "non-trivial output");
    }

    /** [d_model, h·d_k] → [h, d_k, d_model]. */
    static INDArray toLibnd4j(INDArray w, int h, int dk) {
        return w.reshape('c', w.size(0), h, dk).permute(1, 2, 0).dup('c');
    }

    private static double maxAbs(INDArray a) {
        return a.amaxNumber().doubleValue();
    }
}
