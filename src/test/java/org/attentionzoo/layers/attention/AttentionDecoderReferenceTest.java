package org.attentionzoo.layers.attention;

import org.attentionzoo.layers.GradientChecks;
import org.attentionzoo.layers.PerLengthSameDiffGraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * AttentionDecoder against its equations computed independently, step by step in plain Java doubles on the
 * vertex's own parameters (LSTM cell, attention, output), for both styles and every score; the weights
 * AlignmentProbe shows are those; padding (source and target) changes nothing for a sentence; the decoder is
 * causal (teacher forcing does not leak later decoder inputs into earlier outputs).
 */
class AttentionDecoderReferenceTest {

    private static final int MB = 2, EMB = 2, ENC = 3, H = 3, OUT = 2, ATT = 2, T_TGT = 3, T_SRC = 4;
    private static final double PADDING_JUNK = 123.0;

    @BeforeAll
    static void oneThread() {
        AttentionGraphs.oneThread();
    }

    private static ComputationGraph graph(AttentionDecoder.Style style, ScoreType score, long seed) {
        Nd4j.getRandom().setSeed(seed);
        AttentionDecoder vertex = new AttentionDecoder.Builder().style(style).score(score).embeddingSize(EMB)
                .encoderSize(ENC).hiddenSize(H).outputSize(OUT).attentionSize(ATT).build();
        ComputationGraph g = AttentionGraphs.alone(vertex, EMB, ENC);
        // Random biases (not just the forget gate's 1) so every term of the cell is exercised.
        g.getVertex("att").paramTable(false).get(AttentionDecoder.BIAS_KEY).addi(Nd4j.rand(DataType.DOUBLE, 1, 4 * H).subi(0.5));
        return g;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"BAHDANAU,ADDITIVE", "BAHDANAU,GENERAL", "BAHDANAU,DOT", "BAHDANAU,CONCAT",
            "LUONG_INPUT_FEEDING,GENERAL", "LUONG_INPUT_FEEDING,DOT", "LUONG_INPUT_FEEDING,CONCAT",
            "LUONG_INPUT_FEEDING,ADDITIVE"})
    void matchesStepByStepReference(AttentionDecoder.Style style, ScoreType score) {
        ComputationGraph g = graph(style, score, 11);
        assertInstanceOf(PerLengthSameDiffGraphVertex.class, g.getVertex("att"));
        INDArray dec = Nd4j.rand(DataType.DOUBLE, MB, EMB, T_TGT).subi(0.5).muli(2);
        INDArray enc = Nd4j.rand(DataType.DOUBLE, MB, ENC, T_SRC).subi(0.5).muli(2);
        int[] srcLen = {4, 2};
        int[] tgtLen = {3, 2};
        enc.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.interval(2, 4)).assign(PADDING_JUNK);
        dec.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.point(2)).assign(PADDING_JUNK);
        INDArray[] in = {dec, enc};
        INDArray[] masks = {GradientChecks.mask(T_TGT, tgtLen), GradientChecks.mask(T_SRC, srcLen)};

        INDArray out = g.output(false, in, masks)[0];                              // [mb, OUT, tTgt]
        INDArray probed = AlignmentProbe.alignments(g, "att", in, masks);          // [mb, tTgt, tSrc]
        Reference ref = new Reference(style, score, g.getVertex("att").paramTable(false));
        for (int b = 0; b < MB; b++) {
            double[][] expected = ref.run(dec, enc, b, tgtLen[b], srcLen[b]);
            for (int t = 0; t < T_TGT; t++) {
                for (int o = 0; o < OUT; o++) {
                    double want = t < tgtLen[b] ? expected[t][o] : 0.0;
                    assertEquals(want, out.getDouble(b, o, t), 1e-10, "output b=" + b + " t=" + t + " o=" + o);
                }
                if (t >= tgtLen[b]) {
                    continue;
                }
                double rowSum = 0;
                for (int s = 0; s < T_SRC; s++) {
                    double a = probed.getDouble(b, t, s);
                    if (s < srcLen[b]) {
                        assertEquals(ref.alignments[t][s], a, 1e-10, "alignment b=" + b + " t=" + t + " s=" + s);
                    } else {
                        assertEquals(0.0, a, "padded source position gets exactly 0");
                    }
                    rowSum += a;
                }
                assertEquals(1.0, rowSum, 1e-12, "alignment row sums to 1");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(AttentionDecoder.Style.class)
    void paddingInSourceAndTargetChangesNothing(AttentionDecoder.Style style) {
        ComputationGraph g = graph(style, style == AttentionDecoder.Style.BAHDANAU ? ScoreType.ADDITIVE : ScoreType.GENERAL, 12);
        // Sentence 1: source length 2, target length 2; sentence 0 is longer on both sides (4, 3).
        INDArray dec = Nd4j.rand(DataType.DOUBLE, MB, EMB, T_TGT).subi(0.5).muli(2);
        INDArray enc = Nd4j.rand(DataType.DOUBLE, MB, ENC, T_SRC).subi(0.5).muli(2);
        enc.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.interval(2, 4)).assign(PADDING_JUNK);
        dec.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.point(2)).assign(-PADDING_JUNK);
        INDArray[] in = {dec, enc};
        INDArray[] masks = {GradientChecks.mask(T_TGT, 3, 2), GradientChecks.mask(T_SRC, 4, 2)};
        INDArray out = g.output(false, in, masks)[0];
        INDArray probed = AlignmentProbe.alignments(g, "att", in, masks);

        INDArray[] alone = {dec.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.interval(0, 2)).dup(),
                enc.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.interval(0, 2)).dup()};
        INDArray[] aloneMasks = {Nd4j.ones(DataType.DOUBLE, 1, 2), Nd4j.ones(DataType.DOUBLE, 1, 2)};
        INDArray outAlone = g.output(false, alone, aloneMasks)[0];                // [1, OUT, 2]
        INDArray probedAlone = AlignmentProbe.alignments(g, "att", alone, aloneMasks);
        assertEquals(2, ((PerLengthSameDiffGraphVertex) g.getVertex("att")).graphCount(), "one graph per target length");

        INDArray outInBatch = out.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.interval(0, 2));
        assertEquals(0.0, outInBatch.sub(outAlone).amaxNumber().doubleValue(), 1e-12, "outputs");
        assertEquals(0.0, out.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.point(2)).amaxNumber().doubleValue(),
                "padded target step outputs 0");
        INDArray alignInBatch = probed.get(NDArrayIndex.interval(1, 2), NDArrayIndex.interval(0, 2), NDArrayIndex.interval(0, 2));
        assertEquals(0.0, alignInBatch.sub(probedAlone).amaxNumber().doubleValue(), 1e-12, "alignments");
    }

    @ParameterizedTest
    @EnumSource(AttentionDecoder.Style.class)
    void laterDecoderInputsDoNotChangeEarlierOutputs(AttentionDecoder.Style style) {
        ComputationGraph g = graph(style, ScoreType.CONCAT, 13);
        INDArray dec = Nd4j.rand(DataType.DOUBLE, MB, EMB, T_TGT).subi(0.5).muli(2);
        INDArray enc = Nd4j.rand(DataType.DOUBLE, MB, ENC, T_SRC).subi(0.5).muli(2);
        INDArray[] masks = {Nd4j.ones(DataType.DOUBLE, MB, T_TGT), GradientChecks.mask(T_SRC, 4, 3)};
        INDArray out = g.output(false, new INDArray[]{dec, enc}, masks)[0].dup();
        INDArray align = AlignmentProbe.alignments(g, "att", new INDArray[]{dec, enc}, masks);
        for (int t = 0; t < T_TGT - 1; t++) {
            INDArray changed = dec.dup();
            changed.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t + 1)).addi(1.0);
            INDArray outChanged = g.output(false, new INDArray[]{changed, enc}, masks)[0];
            INDArray alignChanged = AlignmentProbe.alignments(g, "att", new INDArray[]{changed, enc}, masks);
            INDArray upToT = out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, t + 1));
            assertEquals(upToT, outChanged.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, t + 1)),
                    "outputs at steps <= " + t + " after changing input " + (t + 1));
            assertEquals(align.get(NDArrayIndex.all(), NDArrayIndex.interval(0, t + 1), NDArrayIndex.all()),
                    alignChanged.get(NDArrayIndex.all(), NDArrayIndex.interval(0, t + 1), NDArrayIndex.all()),
                    "alignments at steps <= " + t);
            assertNotEquals(out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t + 1)),
                    outChanged.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t + 1)),
                    "the output at step " + (t + 1) + " does see its own input");
        }
    }

    /** The decoder in plain Java doubles, one sentence at a time. */
    private static final class Reference {
        private final AttentionDecoder.Style style;
        private final ScoreType score;
        private final Map<String, INDArray> p;
        double[][] alignments;

        Reference(AttentionDecoder.Style style, ScoreType score, Map<String, INDArray> params) {
            this.style = style;
            this.score = score;
            this.p = params;
        }

        /** @return outputs [tgtLen][OUT] of sentence b; fills {@link #alignments} [tgtLen][srcLen] */
        double[][] run(INDArray dec, INDArray enc, int b, int tgtLen, int srcLen) {
            double[][] keys = new double[srcLen][];
            for (int s = 0; s < srcLen; s++) {
                keys[s] = column(enc, b, s, ENC);
            }
            double[] h = new double[H];
            double[] cell = new double[H];
            double[] feed = new double[OUT];               // Luong: h~_0 = 0
            double[][] outputs = new double[tgtLen][];
            alignments = new double[tgtLen][];
            for (int t = 0; t < tgtLen; t++) {
                double[] y = column(dec, b, t, EMB);
                if (style == AttentionDecoder.Style.BAHDANAU) {
                    double[] a = attention(h, keys);        // e_ij = score(s_{i-1}, h_j)
                    double[] c = context(a, keys);
                    double[][] next = lstm(y, c, h, cell);
                    h = next[0];
                    cell = next[1];
                    outputs[t] = tanhLinear(concat(h, c, y), p.get(AttentionDecoder.OUTPUT_WEIGHT_KEY));
                    alignments[t] = a;
                } else {
                    double[][] next = lstm(y, feed, h, cell);
                    h = next[0];
                    cell = next[1];
                    double[] a = attention(h, keys);        // e_ts = score(h_t, h̄_s)
                    double[] c = context(a, keys);
                    feed = tanhLinear(concat(c, h), p.get(AttentionDecoder.OUTPUT_WEIGHT_KEY));
                    outputs[t] = feed;
                    alignments[t] = a;
                }
            }
            return outputs;
        }

        /** Gates [i | f | o | g]: z = y Wy + x Wfeed + h Wh + b. */
        private double[][] lstm(double[] y, double[] x, double[] h, double[] cell) {
            double[] z = new double[4 * H];
            INDArray wy = p.get(AttentionDecoder.INPUT_WEIGHT_KEY), wf = p.get(AttentionDecoder.FEED_WEIGHT_KEY),
                    wh = p.get(AttentionDecoder.RECURRENT_WEIGHT_KEY), bias = p.get(AttentionDecoder.BIAS_KEY);
            for (int k = 0; k < 4 * H; k++) {
                double sum = bias.getDouble(0, k);
                for (int i = 0; i < y.length; i++) {
                    sum += y[i] * wy.getDouble(i, k);
                }
                for (int i = 0; i < x.length; i++) {
                    sum += x[i] * wf.getDouble(i, k);
                }
                for (int i = 0; i < H; i++) {
                    sum += h[i] * wh.getDouble(i, k);
                }
                z[k] = sum;
            }
            double[] nextCell = new double[H];
            double[] nextH = new double[H];
            for (int j = 0; j < H; j++) {
                double in = sigmoid(z[j]), forget = sigmoid(z[H + j]), out = sigmoid(z[2 * H + j]);
                double g = Math.tanh(z[3 * H + j]);
                nextCell[j] = forget * cell[j] + in * g;
                nextH[j] = out * Math.tanh(nextCell[j]);
            }
            return new double[][]{nextH, nextCell};
        }

        private double[] attention(double[] query, double[][] keys) {
            double[] e = new double[keys.length];
            for (int s = 0; s < keys.length; s++) {
                e[s] = score(query, keys[s]);
            }
            return softmax(e);
        }

        private double score(double[] q, double[] k) {
            switch (score) {
                case DOT:
                    return dot(q, k);
                case GENERAL: {
                    INDArray w = p.get(GeneralScore.W_A);
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

        private static double[] context(double[] a, double[][] keys) {
            double[] c = new double[ENC];
            for (int s = 0; s < keys.length; s++) {
                for (int i = 0; i < ENC; i++) {
                    c[i] += a[s] * keys[s][i];
                }
            }
            return c;
        }

        private static double[] tanhLinear(double[] x, INDArray w) {
            double[] out = new double[(int) w.columns()];
            for (int o = 0; o < out.length; o++) {
                double z = 0;
                for (int i = 0; i < x.length; i++) {
                    z += x[i] * w.getDouble(i, o);
                }
                out[o] = Math.tanh(z);
            }
            return out;
        }
    }

    private static double[] concat(double[]... parts) {
        int n = 0;
        for (double[] part : parts) {
            n += part.length;
        }
        double[] all = new double[n];
        int at = 0;
        for (double[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
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
