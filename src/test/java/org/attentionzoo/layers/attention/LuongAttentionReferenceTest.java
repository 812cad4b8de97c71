package org.attentionzoo.layers.attention;

import org.attentionzoo.layers.GradientChecks;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * LuongAttention against the paper's equations computed independently, element by element in plain Java
 * on the vertex's own parameters: scores, alignment (rows sum to 1, exactly 0 on padding), context and
 * attentional state. Also: the weights AlignmentProbe shows are the ones the vertex used, and a sentence
 * gets the same weights and outputs alone as padded in a batch.
 */
class LuongAttentionReferenceTest {

    private static final int MB = 2, D_DEC = 3, D_ENC = 3, OUT = 2, T_TGT = 2, T_SRC = 4;

    @ParameterizedTest
    @EnumSource(ScoreType.class)
    void matchesHandComputedAttention(ScoreType score) {
        Nd4j.getRandom().setSeed(11);
        LuongAttention vertex = new LuongAttention.Builder().decoderSize(D_DEC).encoderSize(D_ENC).outputSize(OUT)
                .attentionSize(2).score(score).build();
        ComputationGraph g = AttentionGraphs.alone(vertex, D_DEC, D_ENC);
        INDArray dec = Nd4j.rand(DataType.DOUBLE, MB, D_DEC, T_TGT).subi(0.5).muli(2);
        INDArray enc = Nd4j.rand(DataType.DOUBLE, MB, D_ENC, T_SRC).subi(0.5).muli(2);
        INDArray decMask = Nd4j.ones(DataType.DOUBLE, MB, T_TGT);
        INDArray encMask = GradientChecks.mask(T_SRC, 4, 2);
        enc.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.interval(2, 4)).assign(123.0); // padding: must not matter
        INDArray[] in = {dec, enc};
        INDArray[] masks = {decMask, encMask};

        INDArray out = g.output(false, in, masks)[0];                          // [mb, OUT, tTgt]
        INDArray probed = AlignmentProbe.alignments(g, "att", in, masks);      // [mb, tTgt, tSrc]
        var params = g.getVertex("att").paramTable(false);
        for (int b = 0; b < MB; b++) {
            int len = (int) encMask.getRow(b).sumNumber().doubleValue();
            for (int t = 0; t < T_TGT; t++) {
                double[] q = column(dec, b, t, D_DEC);
                double[] e = new double[len];
                for (int s = 0; s < len; s++) {
                    e[s] = score(score, params, q, column(enc, b, s, D_ENC));
                }
                double[] a = softmax(e);
                double[] c = new double[D_ENC];
                for (int s = 0; s < len; s++) {
                    double[] k = column(enc, b, s, D_ENC);
                    for (int i = 0; i < D_ENC; i++) {
                        c[i] += a[s] * k[i];
                    }
                }
                INDArray wc = params.get(LuongAttention.W_C);                    // [D_ENC + D_DEC, OUT]
                double rowSum = 0;
                for (int s = 0; s < T_SRC; s++) {
                    double expected = s < len ? a[s] : 0.0;
                    assertEquals(expected, probed.getDouble(b, t, s), 1e-10, "alignment b=" + b + " t=" + t + " s=" + s);
                    rowSum += probed.getDouble(b, t, s);
                }
                assertEquals(1.0, rowSum, 1e-12, "alignment row sums to 1");
                for (int o = 0; o < OUT; o++) {
                    double z = 0;
                    for (int i = 0; i < D_ENC; i++) {
                        z += c[i] * wc.getDouble(i, o);
                    }
                    for (int i = 0; i < D_DEC; i++) {
                        z += q[i] * wc.getDouble(D_ENC + i, o);
                    }
                    assertEquals(Math.tanh(z), out.getDouble(b, o, t), 1e-10, "h~ b=" + b + " t=" + t + " o=" + o);
                }
            }
        }

        // Sentence 1 alone, without its padding: same alignment and output.
        INDArray encAlone = enc.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.interval(0, 2)).dup();
        INDArray decAlone = dec.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.all()).dup();
        INDArray[] inAlone = {decAlone, encAlone};
        INDArray[] masksAlone = {Nd4j.ones(DataType.DOUBLE, 1, T_TGT), Nd4j.ones(DataType.DOUBLE, 1, 2)};
        INDArray outAlone = g.output(false, inAlone, masksAlone)[0];
        INDArray probedAlone = AlignmentProbe.alignments(g, "att", inAlone, masksAlone);
        assertEquals(out.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.all()), outAlone);
        INDArray batchRow = probed.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.interval(0, 2));
        assertEquals(0.0, batchRow.sub(probedAlone).amaxNumber().doubleValue(), 1e-12);
    }

    private static double score(ScoreType type, java.util.Map<String, INDArray> p, double[] q, double[] k) {
        switch (type) {
            case DOT:
                return dot(q, k);
            case GENERAL: {
                INDArray w = p.get(GeneralScore.W_A);                           // [dQ, dK]
                double sum = 0;
                for (int i = 0; i < q.length; i++) {
                    for (int j = 0; j < k.length; j++) {
                        sum += q[i] * w.getDouble(i, j) * k[j];
                    }
                }
                return sum;
            }
            default: {
                INDArray wq = p.get(ConcatScore.W_Q), wk = p.get(ConcatScore.W_K), v = p.get(ConcatScore.V_A);
                double sum = 0;
                for (int a = 0; a < v.columns(); a++) {
                    double z = 0;
                    for (int i = 0; i < q.length; i++) {
                        z += q[i] * wq.getDouble(i, a);
                    }
                    for (int j = 0; j < k.length; j++) {
                        z += k[j] * wk.getDouble(j, a);
                    }
                    sum += v.getDouble(0, a) * Math.tanh(z);
                }
                return sum;
            }
        }
    }

    private static double[] column(INDArray x, int b, int t, int d) {
        double[] v = new double[d];
        for (int i = 0; i < d; i++) {
            v[i] = x.getDouble(b, i, t);
        }
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double[] softmax(double[] e) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : e) {
            max = Math.max(max, x);
        }
        double sum = 0;
        double[] a = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            a[i] = Math.exp(e[i] - max);
            sum += a[i];
        }
        for (int i = 0; i < e.length; i++) {
            a[i] /= sum;
        }
        return a;
    }
}
