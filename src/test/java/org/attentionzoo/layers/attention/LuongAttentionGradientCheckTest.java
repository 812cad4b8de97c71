package org.attentionzoo.layers.attention;

import org.attentionzoo.layers.GradientChecks;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Double-precision gradient checks of built-in LSTMs → LuongAttention → RnnOutputLayer, for every score (and
 * local-m and local-p attention with a window of 1),
 * with and without padding masks on both sides. The LSTMs below only get the right gradient if the
 * vertex returns the right dL/dInput (the M2.1 doubled-gradient bug would make it twice too large).
 */
class LuongAttentionGradientCheckTest {

    private static final int MB = 3, T_TGT = 4, T_SRC = 5, DEC_IN = 3, ENC_IN = 2, D = 4, OUT = 3, CLASSES = 3;

    @ParameterizedTest(name = "{0}, masked={1}, {2}")
    @CsvSource({"dot,false,global", "dot,true,global", "general,false,global", "general,true,global",
            "concat,false,global", "concat,true,global", "additive,true,global",
            "general,true,local-m", "general,true,local-p", "general,false,local-p", "dot,true,local-p"})
    void gradientsMatchFiniteDifferences(String score, boolean masked, String span) {
        GradientChecks.inDoublePrecision(() -> {
            Nd4j.getRandom().setSeed(3);
            LuongAttention vertex = new LuongAttention.Builder().decoderSize(D).encoderSize(D).outputSize(OUT)
                    .attentionSize(3).score(ScoreType.parse(score)).span(AttentionSpan.parse(span)).window(1).build();
            ComputationGraph net = AttentionGraphs.withLayersAround(vertex, DEC_IN, ENC_IN, D, D, OUT, CLASSES, 5);
            INDArray[] in = {Nd4j.rand(DataType.DOUBLE, MB, DEC_IN, T_TGT).subi(0.5),
                    Nd4j.rand(DataType.DOUBLE, MB, ENC_IN, T_SRC).subi(0.5)};
            INDArray[] labels = {GradientChecks.labels(MB, CLASSES, T_TGT, 9)};
            INDArray[] masks = masked
                    ? new INDArray[]{GradientChecks.mask(T_TGT, 4, 2, 3), GradientChecks.mask(T_SRC, 5, 3, 1)}
                    : null;
            INDArray[] labelMasks = masked ? new INDArray[]{masks[0]} : null;
            assertTrue(GradientChecks.passes(net, in, labels, masks, labelMasks), "GradientCheckUtil");
            GradientChecks.Report r = GradientChecks.measure(net, in, labels, masks, labelMasks);
            System.out.println("LuongAttention " + score + " " + span + " masked=" + masked + ": " + r);
            assertTrue(r.maxRelError() < GradientChecks.MAX_REL_ERROR, "max rel error " + r.maxRelError());
            r.ratioByParam().forEach((key, ratio) -> {
                if (!ratio.isNaN()) {
                    assertEquals(1.0, ratio, 1e-4, key);
                }
            });
            return null;
        });
    }
}
