package org.attentionzoo.optim;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelSmoothedCrossEntropyTest {

    private static final double[][] LOGITS = {{1.0, 2.0, 0.5}, {0.0, -1.0, 3.0}};
    private static final double[] LABELS = {1, 0};

    private static INDArray z() {
        return Nd4j.createFromArray(LOGITS).castTo(DataType.DOUBLE);
    }

    private static INDArray y() {
        return Nd4j.createFromArray(LABELS).reshape(2, 1).castTo(DataType.DOUBLE);
    }

    /** −Σ_k q_k log softmax(z)_k computed by hand in plain Java. */
    private static double expectedRow(double[] logits, int label, double eps) {
        double max = Math.max(logits[0], Math.max(logits[1], logits[2]));
        double sum = 0;
        for (double l : logits) {
            sum += Math.exp(l - max);
        }
        double loss = 0;
        for (int k = 0; k < 3; k++) {
            double logp = logits[k] - max - Math.log(sum);
            double q = eps / 3 + (k == label ? 1 - eps : 0);
            loss -= q * logp;
        }
        return loss;
    }

    @Test
    void scoreMatchesHandComputationAndMaskDropsRows() {
        LabelSmoothedCrossEntropy loss = new LabelSmoothedCrossEntropy(0.3);
        INDArray rows = loss.computeScoreArray(y(), z(), new ActivationSoftmax(), null);
        assertEquals(expectedRow(LOGITS[0], 1, 0.3), rows.getDouble(0, 0), 1e-12);
        assertEquals(expectedRow(LOGITS[1], 0, 0.3), rows.getDouble(1, 0), 1e-12);
        INDArray mask = Nd4j.createFromArray(new double[][]{{1}, {0}});
        assertEquals(expectedRow(LOGITS[0], 1, 0.3),
                loss.computeScore(y(), z(), new ActivationSoftmax(), mask, false), 1e-12);
    }

    @Test
    void withoutSmoothingItIsDl4jsSparseCrossEntropy() {
        double ours = new LabelSmoothedCrossEntropy(0).computeScore(y(), z(), new ActivationSoftmax(), null, true);
        double dl4j = new LossSparseMCXENT().computeScore(y(), z(), new ActivationSoftmax(), null, true);
        assertEquals(dl4j, ours, 1e-9);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        LabelSmoothedCrossEntropy loss = new LabelSmoothedCrossEntropy(0.1);
        INDArray mask = Nd4j.createFromArray(new double[][]{{1}, {1}});
        INDArray grad = loss.computeGradient(y(), z(), new ActivationSoftmax(), mask);
        double h = 1e-6;
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 3; k++) {
                INDArray plus = z();
                plus.putScalar(i, k, plus.getDouble(i, k) + h);
                INDArray minus = z();
                minus.putScalar(i, k, minus.getDouble(i, k) - h);
                double numerical = (loss.computeScore(y(), plus, new ActivationSoftmax(), mask, false)
                        - loss.computeScore(y(), minus, new ActivationSoftmax(), mask, false)) / (2 * h);
                assertEquals(numerical, grad.getDouble(i, k), 1e-7, "d/dz[" + i + "," + k + "]");
            }
        }
    }

    @Test
    void withoutSmoothingGradientAndScoresAreDl4jsOnMaskedFOrderRows() {
        Nd4j.getRandom().setSeed(7);
        INDArray z = Nd4j.randn(DataType.DOUBLE, 6, 9).muli(3).dup('f');                 // DL4J hands 2D views in f order
        INDArray labels = Nd4j.createFromArray(new double[]{0, 8, 3, 3, 5, 1}).reshape(6, 1);
        INDArray mask = Nd4j.createFromArray(new double[]{1, 1, 0, 1, 0, 1}).reshape(6, 1);
        LabelSmoothedCrossEntropy ours = new LabelSmoothedCrossEntropy(0);
        LossSparseMCXENT dl4j = new LossSparseMCXENT();
        ActivationSoftmax softmax = new ActivationSoftmax();
        INDArray expectedGrad = dl4j.computeGradient(labels, z.dup(), softmax, mask);
        INDArray expectedRows = dl4j.computeScoreArray(labels, z.dup(), softmax, mask);
        assertTrue(expectedGrad.equalsWithEps(ours.computeGradient(labels, z.dup(), softmax, mask), 1e-12));
        assertTrue(expectedRows.equalsWithEps(ours.computeScoreArray(labels, z.dup(), softmax, mask), 1e-12));
        var both = ours.computeGradientAndScore(labels, z.dup(), softmax, mask, true);
        assertEquals(dl4j.computeScore(labels, z.dup(), softmax, mask, true), both.getFirst(), 1e-12);
        assertTrue(expectedGrad.equalsWithEps(both.getSecond(), 1e-12));
        assertEquals(0.0, both.getSecond().getRow(2).amaxNumber().doubleValue(), 0.0, "masked row has no gradient");
    }

    @Test
    void gradientAndScoreTogetherEqualEachAloneWithSmoothing() {
        Nd4j.getRandom().setSeed(3);
        INDArray z = Nd4j.randn(DataType.DOUBLE, 4, 5);
        INDArray labels = Nd4j.createFromArray(new double[]{4, 0, 2, 2}).reshape(4, 1);
        LabelSmoothedCrossEntropy loss = new LabelSmoothedCrossEntropy(0.2);
        ActivationSoftmax softmax = new ActivationSoftmax();
        var both = loss.computeGradientAndScore(labels, z.dup(), softmax, null, false);
        assertEquals(loss.computeScore(labels, z.dup(), softmax, null, false), both.getFirst(), 1e-12);
        assertTrue(loss.computeGradient(labels, z.dup(), softmax, null).equalsWithEps(both.getSecond(), 1e-12));
        assertEquals(0.0, both.getSecond().sum(1).amaxNumber().doubleValue(), 1e-12, "p − q sums to 0 in every row");
    }

    @Test
    void floatRowsAgreeWithTheDoubleComputation() {
        Nd4j.getRandom().setSeed(11);
        int n = 7;
        int classes = 2003;
        INDArray z = Nd4j.randn(DataType.DOUBLE, n, classes).muli(3);
        z.putScalar(2, 5, 60.0);                                                          // one dominant logit
        INDArray labels = Nd4j.createFromArray(new double[]{0, 2002, 5, 17, 17, 900, 3}).reshape(n, 1);
        INDArray mask = Nd4j.createFromArray(new double[]{1, 1, 1, 0, 1, 0.5, 1}).reshape(n, 1);
        ActivationSoftmax softmax = new ActivationSoftmax();
        for (double eps : new double[]{0, 0.1}) {
            for (INDArray m : new INDArray[]{null, mask}) {
                LabelSmoothedCrossEntropy loss = new LabelSmoothedCrossEntropy(eps);
                INDArray expected = loss.computeGradient(labels, z.dup(), softmax, m);
                double expectedScore = loss.lastGradientScore();
                for (char order : new char[]{'c', 'f'}) {                                 // f: the ND4J path in float
                    INDArray got = loss.computeGradient(labels, z.castTo(DataType.FLOAT).dup(order), softmax,
                            m == null ? null : m.castTo(DataType.FLOAT));
                    String label = "eps " + eps + (m == null ? "" : ", masked") + ", order " + order;
                    assertEquals(DataType.FLOAT, got.dataType(), label);
                    double worst = expected.sub(got.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
                    assertTrue(worst < 1e-6, label + ": max |difference| " + worst);
                    assertEquals(expectedScore, loss.lastGradientScore(), 1e-5 * Math.abs(expectedScore), label);
                }
            }
        }
        LabelSmoothedCrossEntropy loss = new LabelSmoothedCrossEntropy(0.1);
        INDArray got = loss.computeGradient(labels, z.castTo(DataType.FLOAT), softmax, mask.castTo(DataType.FLOAT));
        assertEquals(0.0, got.getRow(3).amaxNumber().doubleValue(), 0.0, "masked row has no gradient");
        assertEquals(0.0, got.sum(1).amaxNumber().doubleValue(), 1e-5, "p − q sums to 0 in every row");
    }

    @Test
    void labelOutOfRangeIsAnError() {
        INDArray labels = Nd4j.createFromArray(new double[]{1, 3}).reshape(2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LabelSmoothedCrossEntropy(0).computeScore(labels, z(), new ActivationSoftmax(), null, false));
        assertTrue(e.getMessage().contains("label 3"), e.getMessage());
    }
}
