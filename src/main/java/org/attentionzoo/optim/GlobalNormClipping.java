package org.attentionzoo.optim;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gradient clipping by the global norm, as PyTorch's {@code clip_grad_norm_} and OpenNMT's
 * {@code max_grad_norm} do it, which DL4J (per-layer norms and element-wise clipping only) does not have:
 * <pre>
 *   g ← g · min(1, c / ‖g‖₂)       ‖g‖₂ over every parameter of the network, layers and vertices alike
 * </pre>
 * applied to the raw gradient before the updater (Adam, its schedule, and any per-layer
 * {@code GradientNormalization} of the configuration) sees it.
 *
 * <h2>Which gradient g is</h2>
 * The gradient of the loss <em>per target token</em>: the masked loss summed over all steps of the
 * minibatch divided by the number of real target tokens (the sum of the first output's label mask; the
 * minibatch size when there is no label mask). That is the loss {@code Trainer} reports and the one
 * PyTorch's {@code cross_entropy(..., ignore_index=pad)} averages, so a threshold c here means what it means
 * in a PyTorch recipe ({@code clip_grad_norm_(params, 1.0)} is c = 1). DL4J itself
 * minimises the loss summed over time and averaged over sentences, whose gradient is larger by the mean
 * number of target tokens per sentence: the choice only sets the scale on which c is read (the clipped
 * gradient keeps its direction either way, and the updater still gets DL4J's own scale times the factor).
 *
 * <h2>How</h2>
 * A {@link org.deeplearning4j.optimize.api.TrainingListener}: DL4J calls
 * {@link #onGradientCalculation} in every {@code fit} after the backward pass, with the gradient in the
 * network's flattened gradient view (summed over the minibatch, not yet divided by its size) and before
 * the updater reads that view. Scaling the view there is therefore the whole job; iteration and epoch
 * counts, schedules, other listeners and the updater state are untouched. Add it with
 * {@code graph.addListeners(new GlobalNormClipping(1.0))} (the {@code Trainer} does so from the model card's
 * {@code maxGradNorm}); {@code graph.setListeners(...)} replaces it.
 *
 * <p>The parameter gradients of our SameDiff layers are the true ones (see
 * {@code org.attentionzoo.layers.GradientFix}), so the norm is not inflated by DL4J M2.1's doubled
 * SameDiff gradients.
 */
public final class GlobalNormClipping extends BaseTrainingListener {

    private final double maxNorm;
    private double lastNorm = Double.NaN;
    private double lastScale = Double.NaN;
    private long steps;
    private long clippedSteps;

    /**
     * @param maxNorm c, the largest global L2 norm the per-token gradient may have; positive
     */
    public GlobalNormClipping(double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("maximum gradient norm must be positive and finite; got " + maxNorm);
        }
        this.maxNorm = maxNorm;
    }

    /** c. */
    public double maxNorm() {
        return maxNorm;
    }

    /** ‖g‖₂ of the per-token gradient at the last update, before clipping (NaN before the first). */
    public double lastNorm() {
        return lastNorm;
    }

    /** The factor min(1, c / ‖g‖₂) the last gradient was multiplied by (NaN before the first update). */
    public double lastScale() {
        return lastScale;
    }

    /** Updates seen. */
    public long steps() {
        return steps;
    }

    /** Updates whose gradient was scaled down (‖g‖₂ > c). */
    public long clippedSteps() {
        return clippedSteps;
    }

    @Override
    public void onGradientCalculation(Model model) {
        INDArray gradient = model.getGradientsViewArray();
        if (gradient == null || gradient.isEmpty()) {
            return;
        }
        double norm = gradient.norm2Number().doubleValue() / lossNormaliser(model);
        double scale = norm > maxNorm ? maxNorm / norm : 1.0;
        if (scale < 1.0) {
            gradient.muli(scale);
            clippedSteps++;
        }
        steps++;
        lastNorm = norm;
        lastScale = scale;
    }

    /**
     * The number the summed-over-the-minibatch gradient is divided by to give the per-token gradient: the
     * real target tokens of the first output, or the minibatch size without a label mask.
     */
    static double lossNormaliser(Model model) {
        if (model instanceof ComputationGraph graph) {
            INDArray[] labelMasks = graph.getLabelMaskArrays();
            if (labelMasks != null && labelMasks.length > 0 && labelMasks[0] != null) {
                double tokens = labelMasks[0].sumNumber().doubleValue();
                if (tokens > 0) {
                    return tokens;
                }
            }
        }
        return Math.max(1, model.batchSize());
    }

    @Override
    public String toString() {
        return "GlobalNormClipping(maxNorm=" + maxNorm + ")";
    }
}
