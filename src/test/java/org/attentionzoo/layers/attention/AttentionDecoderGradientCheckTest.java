package org.attentionzoo.layers.attention;

import org.attentionzoo.layers.GradientChecks;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Double-precision gradient checks of built-in LSTMs → AttentionDecoder → RnnOutputLayer, both styles, with
 * and without ragged source and target lengths. The LSTMs below only get the right gradient if the vertex
 * returns the right dL/dInput (the M2.1 doubled-gradient and stale-dL/dInput bugs would spoil it).
 */
class AttentionDecoderGradientCheckTest {

    private static final int MB = 3, T_TGT = 3, T_SRC = 4, DEC_IN = 2, ENC_IN = 2, EMB = 3, ENC = 3, H = 3, OUT = 3,
            CLASSES = 3;

    @BeforeAll
    static void oneThread() {
        AttentionGraphs.oneThread();
    }

    @ParameterizedTest(name = "{0} {1}, masked={2}")
    @CsvSource({"BAHDANAU,additive,false", "BAHDANAU,additive,true",
            "LUONG_INPUT_FEEDING,general,false", "LUONG_INPUT_FEEDING,general,true"})
    void gradientsMatchFiniteDifferences(AttentionDecoder.Style style, String score, boolean masked) {
        GradientChecks.inDoublePrecision(() -> {
            Nd4j.getRandom().setSeed(masked ? 13 : 14);
            AttentionDecoder vertex = new AttentionDecoder.Builder().style(style).score(ScoreType.parse(score))
                    .embeddingSize(EMB).encoderSize(ENC).hiddenSize(H).outputSize(OUT).attentionSize(2).build();
            ComputationGraph net = AttentionGraphs.withLayersAround(vertex, DEC_IN, ENC_IN, EMB, ENC, OUT, CLASSES, 5);
            // Non-zero gate biases, so that the check does not rely on the initial values' symmetry.
            var params = net.getVertex("att").paramTable(false);
            params.get(AttentionDecoder.BIAS_KEY).addi(Nd4j.rand(DataType.DOUBLE, 1, 4 * H).subi(0.5));
            // Sharper attention: with Xavier-sized W_q the additive score's query-side gradients are ~1e-6,
            // where finite-difference noise (~1e-10) alone moves the ratio by 1e-4.
            if (params.containsKey(ConcatScore.W_Q)) {
                params.get(ConcatScore.W_Q).muli(4);
                params.get(ConcatScore.V_A).muli(2);
            }
            INDArray[] in = {Nd4j.rand(DataType.DOUBLE, MB, DEC_IN, T_TGT).subi(0.5).muli(2),
                    Nd4j.rand(DataType.DOUBLE, MB, ENC_IN, T_SRC).subi(0.5).muli(2)};
            INDArray[] labels = {GradientChecks.labels(MB, CLASSES, T_TGT, 9)};
            INDArray[] masks = masked
                    ? new INDArray[]{GradientChecks.mask(T_TGT, 3, 1, 2), GradientChecks.mask(T_SRC, 4, 2, 3)}
                    : null;
            INDArray[] labelMasks = masked ? new INDArray[]{masks[0]} : null;
            long start = System.nanoTime();
            GradientChecks.Report r = GradientChecks.measure(net, in, labels, masks, labelMasks);
            System.out.printf("AttentionDecoder %s %s masked=%s: %s (%.1f s)%n", style, score, masked, r,
                    (System.nanoTime() - start) / 1e9);
            assertTrue(r.maxRelError() < GradientChecks.MAX_REL_ERROR, "max rel error " + r.maxRelError());
            r.ratioByParam().forEach((key, ratio) -> {
                if (!ratio.isNaN()) {
                    assertEquals(1.0, ratio, 1e-4, key);
                }
            });
            if (masked) { // DL4J's own check too, where it matters most (it repeats the whole walk: ~5 s)
                assertTrue(GradientChecks.passes(net, in, labels, masks, labelMasks), "GradientCheckUtil");
            }
            return null;
        });
    }
}
