package org.attentionzoo.optim;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
