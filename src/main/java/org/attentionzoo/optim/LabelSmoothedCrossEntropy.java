package org.attentionzoo.optim;

import org.attentionzoo.util.DirectBuffers;
import org.attentionzoo.util.SimdMath;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Cross entropy against label-smoothed targets (Szegedy et al. 2016; used with ε = 0.1 by Vaswani et al.
 * 2017), for softmax outputs and sparse labels (class ids, one per row, as LossSparseMCXENT takes them):
 * <pre>
 *   q_k = (1 − ε) [k = y] + ε / V          (V classes)
 *   L   = − Σ_k q_k log p_k,   p = softmax(z)
 *   ∂L/∂z = p − q
 * </pre>
 * Rows whose mask is 0 (padding) contribute neither loss nor gradient. With ε = 0 this is ordinary cross
 * entropy, the same values as DL4J's {@code LossSparseMCXENT}, which the zoo used before: that one builds a
 * one-hot matrix and a softmax for the score and again for the gradient; this one computes the softmax once
 * per {@link #computeGradientAndScore} and touches the targets one entry per row. Note that the minimum is
 * the entropy of q, not 0.
 */
public final class LabelSmoothedCrossEntropy implements ILossFunction {

    private final double epsilon;
    /**
     * The summed score of the rows of the last {@link #computeGradient} call on each thread, a by-product of
     * the gradient. Per thread because one loss object is shared by every copy of a configuration, and copies
     * of a graph compute gradients side by side ({@code org.attentionzoo.train.DataParallelGraph}).
     */
    @JsonIgnore
    private final transient ThreadLocal<double[]> lastGradientScore = ThreadLocal.withInitial(() -> new double[]{Double.NaN});

    public LabelSmoothedCrossEntropy(@JsonProperty("epsilon") double epsilon) {
        if (epsilon < 0 || epsilon >= 1) {
            throw new IllegalArgumentException("label smoothing ε must be in [0, 1); got " + epsilon);
        }
        this.epsilon = epsilon;
    }

    public double getEpsilon() {
        return epsilon;
    }

    /**
     * What score and gradient share, computed once for rows z_i of the pre-activations [n, V]:
     * s_i = z_i − max_k z_ik (shifted, so that exp cannot overflow), e_i = exp(s_i), and
     * log Σ_k exp(z_ik − max) = log Σ_k e_ik. Then log p_ik = s_ik − logSum_i and p_ik = e_ik / Σ_k e_ik.
     */
    private record Softmax(INDArray shifted, INDArray exp, INDArray sum, INDArray logSum) {
        static Softmax of(INDArray z) {
            INDArray shifted = z.subColumnVector(z.max(true, 1));
            INDArray exp = Transforms.exp(shifted, true);
            INDArray sum = exp.sum(true, 1);
            return new Softmax(shifted, exp, sum, Transforms.log(sum, true));
        }
    }

    /** The class ids [n, 1] as ints, each checked against the class count. */
    private static int[] classIds(INDArray labels, long classes) {
        if (labels.rank() != 2 || labels.size(1) != 1) {
            throw new IllegalArgumentException("LabelSmoothedCrossEntropy takes class ids [n, 1]; got labels of shape "
                    + java.util.Arrays.toString(labels.shape()));
        }
        int[] ids = labels.toIntVector();
        for (int id : ids) {
            if (id < 0 || id >= classes) {
                throw new IllegalArgumentException("label " + id + " out of range for " + classes + " classes");
            }
        }
        return ids;
    }

    private static void requireSoftmax(IActivation activationFn) {
        if (!(activationFn instanceof ActivationSoftmax)) {
            throw new IllegalStateException("LabelSmoothedCrossEntropy needs a softmax output layer; got " + activationFn);
        }
    }

    /**
     * L_i = − Σ_k q_ik log p_ik = logSum_i − (1 − ε) s_{i,y_i} − (ε / V) Σ_k s_ik, with the shifted logits s of
     * {@link Softmax} (log p_ik = s_ik − logSum_i and Σ_k q_ik = 1); no dense target matrix is built.
     */
    private INDArray scoreArray(int[] ids, Softmax sm, INDArray mask) {
        long classes = sm.shifted.size(1);
        INDArray perRow = sm.logSum.dup();                                                // [n, 1]
        if (epsilon > 0) {
            perRow.subi(sm.shifted.sum(true, 1).muli(epsilon / classes));
        }
        for (int i = 0; i < ids.length; i++) {
            perRow.putScalar(i, 0, perRow.getDouble(i, 0) - (1 - epsilon) * sm.shifted.getDouble(i, ids[i]));
        }
        if (mask != null) {
            perRow.muli(mask.reshape(perRow.shape()).castTo(perRow.dataType()));
        }
        return perRow;
    }

    /** ∂L/∂z = p − q: p = e / Σe in place, minus ε / V everywhere and 1 − ε at each label; masked rows zeroed. */
    private INDArray gradient(int[] ids, Softmax sm, INDArray mask) {
        INDArray grad = sm.exp.diviColumnVector(sm.sum);                                 // p, in place of e
        if (epsilon > 0) {
            grad.subi(epsilon / grad.size(1));
        }
        for (int i = 0; i < ids.length; i++) {
            grad.putScalar(i, ids[i], grad.getDouble(i, ids[i]) - (1 - epsilon));
        }
        if (mask != null) {
            grad.muliColumnVector(mask.reshape(mask.length(), 1).castTo(grad.dataType()));
        }
        return grad;
    }

    private static double total(INDArray perRow, boolean average) {
        double score = perRow.sumNumber().doubleValue();
        return average ? score / perRow.size(0) : score;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        requireSoftmax(activationFn);
        return scoreArray(classIds(labels, preOutput.size(1)), Softmax.of(preOutput), mask);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        return total(computeScoreArray(labels, preOutput, activationFn, mask), average);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        requireSoftmax(activationFn);
        int[] ids = classIds(labels, preOutput.size(1));
        if (DirectBuffers.floatRows(preOutput) && preOutput.size(1) > 0
                && (mask == null || mask.length() == preOutput.size(0))) {
            return floatGradient(ids, preOutput, mask);
        }
        Softmax sm = Softmax.of(preOutput);
        lastGradientScore.get()[0] = total(scoreArray(ids, sm, mask), false);            // before p overwrites e
        return gradient(ids, sm, mask);
    }

    /**
     * {@link #computeGradient} for float pre-activations with dense rows, one row at a time in Java arrays and
     * loops that C2 vectorises, the exponentials from {@link SimdMath#expNonPositive} (within 6e−6 of exp,
     * relative; libnd4j's exp is a scalar call per value, and a row block of 32 target tokens at V = 8000 holds a
     * quarter of a million values): per row, m = max z, e = exp(z − m), S = Σ e ({@link SimdMath#expSum}), then
     * <pre>
     *   L = log S − (1 − ε)(z_y − m) − (ε / V) Σ_k (z_k − m),    ∂L/∂z_k = e_k / S − ε / V − (1 − ε)[k = y]
     * </pre>
     * each times the row's mask (one entry per row). Also records the summed loss for {@link #lastGradientScore}.
     */
    private INDArray floatGradient(int[] ids, INDArray z, INDArray mask) {
        int n = (int) z.size(0);
        int classes = (int) z.size(1);
        double[] weights = mask == null ? null : mask.castTo(DataType.DOUBLE).dup().data().asDouble();
        INDArray grad = Nd4j.createUninitialized(DataType.FLOAT, new long[]{n, classes}, 'c');
        FloatBuffer in = DirectBuffers.floats(z);
        FloatBuffer out = DirectBuffers.floats(grad);
        float[] row = new float[classes];
        float[] e = new float[classes];
        float smooth = (float) (epsilon / classes);
        double score = 0;
        for (int i = 0; i < n; i++) {
            double weight = weights == null ? 1 : weights[i];
            if (weight == 0) {
                Arrays.fill(e, 0f);
                out.put(i * classes, e);
                continue;
            }
            in.get(i * classes, row);
            float max = SimdMath.max(row, classes);
            double sum = SimdMath.expSum(row, classes, max, e);
            double logits = 0;
            for (int k = 0; k < classes; k++) {
                logits += row[k];
            }
            double shiftedTotal = logits - (double) classes * max;                     // Σ_k (z_k − m)
            score += weight * (Math.log(sum) - (1 - epsilon) * (row[ids[i]] - max) - epsilon / classes * shiftedTotal);
            float scale = (float) (weight / sum);
            float offset = (float) (weight * smooth);
            for (int k = 0; k < classes; k++) {
                e[k] = e[k] * scale - offset;
            }
            e[ids[i]] -= (float) (weight * (1 - epsilon));
            out.put(i * classes, e);
        }
        lastGradientScore.get()[0] = score;
        return grad;
    }

    /**
     * The loss summed over the rows (masked, not averaged) at the pre-activations of the last
     * {@link #computeGradient} call on this thread, NaN before any: what
     * {@code computeScore(…, average = false)} would return for them, so that an output layer that has just
     * back-propagated need not compute its forward pass and softmax again for the score.
     */
    public double lastGradientScore() {
        return lastGradientScore.get()[0];
    }

    /** Score and gradient from one softmax pass (DL4J's own losses compute the softmax once for each). */
    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        INDArray gradient = computeGradient(labels, preOutput, activationFn, mask);
        double score = lastGradientScore();
        return new Pair<>(average ? score / preOutput.size(0) : score, gradient);
    }

    /** Java deserialisation leaves the transient per-thread score null: a fresh object has one. */
    private Object readResolve() {
        return new LabelSmoothedCrossEntropy(epsilon);
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
