package org.attentionzoo.optim;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Cross entropy against label-smoothed targets (Szegedy et al. 2016; used with ε = 0.1 by Vaswani et al.
 * 2017), for softmax outputs and sparse labels (class ids, one per row, as LossSparseMCXENT takes them):
 * <pre>
 *   q_k = (1 − ε) [k = y] + ε / V          (V classes)
 *   L   = − Σ_k q_k log p_k,   p = softmax(z)
 *   ∂L/∂z = p − q
 * </pre>
 * Rows whose mask is 0 (padding) contribute neither loss nor gradient. With ε = 0 this is ordinary cross
 * entropy. Note that its minimum is the entropy of q, not 0.
 */
public final class LabelSmoothedCrossEntropy implements ILossFunction {

    private final double epsilon;

    public LabelSmoothedCrossEntropy(@JsonProperty("epsilon") double epsilon) {
        if (epsilon < 0 || epsilon >= 1) {
            throw new IllegalArgumentException("label smoothing ε must be in [0, 1); got " + epsilon);
        }
        this.epsilon = epsilon;
    }

    public double getEpsilon() {
        return epsilon;
    }

    /** Smoothed targets q [n, V] from class ids [n, 1]. */
    private INDArray targets(INDArray labels, long classes, org.nd4j.linalg.api.buffer.DataType type) {
        long n = labels.size(0);
        INDArray q = Nd4j.valueArrayOf(new long[]{n, classes}, epsilon / classes, type);
        for (long i = 0; i < n; i++) {
            long y = labels.getLong(i, 0);
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException("label " + y + " out of range for " + classes + " classes");
            }
            q.putScalar(i, y, q.getDouble(i, y) + 1.0 - epsilon);
        }
        return q;
    }

    private static void requireSoftmax(IActivation activationFn) {
        if (!(activationFn instanceof ActivationSoftmax)) {
            throw new IllegalStateException("LabelSmoothedCrossEntropy needs a softmax output layer; got " + activationFn);
        }
    }

    /** log softmax of the pre-activations, row by row, computed stably. */
    private static INDArray logSoftmax(INDArray z) {
        INDArray max = z.max(true, 1);
        INDArray shifted = z.subColumnVector(max);
        INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        return shifted.subiColumnVector(logSum);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        requireSoftmax(activationFn);
        INDArray q = targets(labels, preOutput.size(1), preOutput.dataType());
        INDArray perRow = q.muli(logSoftmax(preOutput)).sum(true, 1).negi();            // [n, 1]
        if (mask != null) {
            perRow.muli(mask.reshape(perRow.shape()).castTo(perRow.dataType()));
        }
        return perRow;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        INDArray perRow = computeScoreArray(labels, preOutput, activationFn, mask);
        double score = perRow.sumNumber().doubleValue();
        return average ? score / perRow.size(0) : score;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        requireSoftmax(activationFn);
        INDArray p = Transforms.exp(logSoftmax(preOutput), false);
        INDArray grad = p.subi(targets(labels, preOutput.size(1), preOutput.dataType()));  // p − q
        if (mask != null) {
            grad.muliColumnVector(mask.reshape(mask.length(), 1).castTo(grad.dataType()));
        }
        return grad;
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSmoothedCrossEntropy l && l.epsilon == epsilon;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(epsilon);
    }

    @Override
    public String toString() {
        return "LabelSmoothedCrossEntropy(ε=" + epsilon + ")";
    }
}
