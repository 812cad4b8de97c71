package org.attentionzoo.layers.transformer;

import org.attentionzoo.layers.GradientChecks;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PositionalEncoding: values against the paper's formula, masking, lengths, builder checks, gradients. */
class PositionalEncodingTest {

    private static final int D = 6;

    @Test
    void sinusoidValuesFollowTheFormula() {
        ComputationGraph g = TransformerGraphs.layerAlone(new PositionalEncoding.Builder().dModel(D).build(), D);
        int t = 7;
        INDArray x = TransformerGraphs.random(2, D, t);
        INDArray mask = GradientChecks.mask(t, 7, 4);
        INDArray y = g.output(false, new INDArray[]{x}, new INDArray[]{mask})[0];
        for (int b = 0; b < 2; b++) {
            for (int pos = 0; pos < t; pos++) {
                for (int j = 0; j < D; j++) {
                    int i = j / 2;
                    double angle = pos / Math.pow(10000, 2.0 * i / D);
                    double pe = j % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
                    double expected = mask.getDouble(b, pos) * (Math.sqrt(D) * x.getDouble(b, j, pos) + pe);
                    assertEquals(expected, y.getDouble(b, j, pos), 1e-12, "b" + b + " pos " + pos + " j " + j);
                }
            }
        }
        double[][] table = PositionalEncoding.sinusoidTable(3, 4);
        assertEquals(Math.cos(2 / Math.pow(10000, 2.0 / 4)), table[2][3], 1e-15);
        assertEquals(0.0, table[0][0]);
        assertEquals(1.0, table[0][1]);
    }

    @Test
    void unscaledAddsPeToTheInputAndAnyLengthWorks() {
        ComputationGraph g = TransformerGraphs.layerAlone(new PositionalEncoding.Builder().dModel(D).scale(false).build(), D);
        for (int t : new int[]{3, 11}) {
            INDArray x = TransformerGraphs.random(1, D, t);
            INDArray y = g.output(false, new INDArray[]{x}, new INDArray[]{Nd4j.ones(DataType.DOUBLE, 1, t)})[0];
            double[][] pe = PositionalEncoding.sinusoidTable(t, D);
            for (int pos = 0; pos < t; pos++) {
                for (int j = 0; j < D; j++) {
                    assertEquals(x.getDouble(0, j, pos) + pe[pos][j], y.getDouble(0, j, pos), 1e-12);
                }
            }
        }
    }

    @Test
    void learnedPositionsAddTheirRowsAndRefuseLongerSequences() {
        ComputationGraph g = TransformerGraphs.layerAlone(new PositionalEncoding.Builder().dModel(D).learned(5).build(), D);
        INDArray p = g.getLayer("layer").getParam(PositionalEncoding.POSITIONS);
        assertEquals(5, p.size(0));
        INDArray x = TransformerGraphs.random(1, D, 4);
        INDArray y = g.output(false, new INDArray[]{x}, new INDArray[]{Nd4j.ones(DataType.DOUBLE, 1, 4)})[0];
        for (int pos = 0; pos < 4; pos++) {
            for (int j = 0; j < D; j++) {
                assertEquals(Math.sqrt(D) * x.getDouble(0, j, pos) + p.getDouble(pos, j), y.getDouble(0, j, pos), 1e-12);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.output(false, new INDArray[]{TransformerGraphs.random(1, D, 6)}, new INDArray[]{Nd4j.ones(DataType.DOUBLE, 1, 6)}));
        assertTrue(e.getMessage().contains("maxLength=5"), e.getMessage());
    }

    @Test
    void builderChecks() {
        assertThrows(IllegalArgumentException.class, () -> new PositionalEncoding.Builder().build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PositionalEncoding.Builder().dModel(4).learned(0).build());
        assertTrue(e.getMessage().contains("maxLength"), e.getMessage());
    }

    @ParameterizedTest(name = "learned={0}")
    @ValueSource(booleans = {false, true})
    void gradientsMatchFiniteDifferences(boolean learned) {
        GradientChecks.inDoublePrecision(() -> {
            Nd4j.getRandom().setSeed(3);
            PositionalEncoding.Builder b = new PositionalEncoding.Builder().dModel(4);
            if (learned) {
                b.learned(5);
            }
            ComputationGraph net = TransformerGraphs.layerBetween(b.build(), 3, 4, 3, 5);
            INDArray[] in = {TransformerGraphs.random(3, 3, 4)};
            INDArray[] labels = {GradientChecks.labels(3, 3, 4, 9)};
            INDArray[] masks = {GradientChecks.mask(4, 4, 2, 3)};
            GradientChecks.Report r = GradientChecks.measure(net, in, labels, masks, masks);
            System.out.println("PositionalEncoding learned=" + learned + ": " + r);
            assertTrue(r.maxRelError() < GradientChecks.MAX_REL_ERROR, "max rel error " + r.maxRelError());
            EncoderLayerGradientCheckTest.assertRatiosNearOne(r);
            assertTrue(GradientChecks.passes(net, in, labels, masks, masks), "GradientCheckUtil");
            return null;
        });
    }
}
