package org.attentionzoo.layers.transformer;

import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitUtil;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * SameDiff building blocks shared by the Transformer layers, all on batch-major sequences [mb, t, d].
 * Matrix products are done as reshape to 2-D + mmul + reshape back (tensorMmul's gradient is broken in M2.1),
 * with every shape taken from the input at run time, so one graph serves any batch size and length.
 */
final class Blocks {

    /** LayerNorm's epsilon (added to the variance), as PyTorch's default. */
    static final double LAYER_NORM_EPS = 1e-5;

    private Blocks() {
    }

    /**
     * x W (+ b) on every step: [mb, t, dIn] → [mb, t, dOut].
     *
     * @param b bias [1, dOut], or null for none
     */
    static SDVariable linear(SameDiff sd, SDVariable x, SDVariable w, SDVariable b, long dIn) {
        SDVariable rows = sd.reshape(x, -1, dIn);                                          // [mb*t, dIn]
        SDVariable y = rows.mmul(w);                                                       // [mb*t, dOut]
        if (b != null) {
            y = y.add(b);
        }
        SDVariable shape = sd.concat(0, x.shape().get(SDIndex.interval(0, 2)), y.shape().get(SDIndex.interval(1, 2)));
        return sd.reshape(y, shape);
    }

    /**
     * Layer normalisation (Ba, Kiros and Hinton 2016) over the last (feature) dimension, written from ops:
     * <pre>
     *   mu = mean_j x_j,   var = mean_j (x_j - mu)^2,   y = g ⊙ (x - mu) / sqrt(var + eps) + b
     * </pre>
     * with eps = {@value #LAYER_NORM_EPS} and gain g, bias b of shape [1, d].
     */
    static SDVariable layerNorm(SameDiff sd, SDVariable x, SDVariable gain, SDVariable bias) {
        int last = 2;
        SDVariable centred = x.sub(x.mean(true, last));
        SDVariable variance = centred.mul(centred).mean(true, last);
        SDVariable normed = centred.div(sd.math().sqrt(variance.add(LAYER_NORM_EPS)));
        return normed.mul(gain).add(bias);
    }

    /** FFN(x) = act(x W_1 + b_1) W_2 + b_2 on every step (eq. 2), [mb, t, d_model] → [mb, t, d_model]. */
    static SDVariable feedForward(SameDiff sd, SDVariable x, Map<String, SDVariable> p, String prefix, long dModel,
                                  long dFF, FeedForwardActivation activation) {
        SDVariable hidden = activation.apply(sd, linear(sd, x, p.get(prefix + "W1"), p.get(prefix + "b1"), dModel));
        return linear(sd, hidden, p.get(prefix + "W2"), p.get(prefix + "b2"), dFF);
    }

    /** The time mask [mb, t] as [mb, t, 1], to zero padded steps of a [mb, t, d] tensor. */
    static SDVariable stepMask(SameDiff sd, SDVariable mask, SDVariable like) {
        return sd.expandDims(mask.castTo(like.dataType()), 2);
    }

    /**
     * One residual sub-layer with its LayerNorm (gain {@code prefix + "g"}, bias {@code prefix + "b"}):
     * POST: LayerNorm(x + Sublayer(x)); PRE: x + Sublayer(LayerNorm(x)).
     */
    static SDVariable residual(SameDiff sd, SDVariable x, NormPosition norm, Map<String, SDVariable> p, String lnPrefix,
                               java.util.function.UnaryOperator<SDVariable> sublayer) {
        return residual(sd, x, norm, p, lnPrefix, sublayer, null);
    }

    /**
     * The same with residual dropout (section 5.4: "dropout to the output of each sub-layer, before it is
     * added to the sub-layer input and normalized"): POST: LayerNorm(x + Dropout(Sublayer(x))); PRE:
     * x + Dropout(Sublayer(LayerNorm(x))), the dropout being a multiplication by {@code dropoutMask}
     * (a placeholder, see {@code InvertedDropout}; null for none).
     */
    static SDVariable residual(SameDiff sd, SDVariable x, NormPosition norm, Map<String, SDVariable> p, String lnPrefix,
                               java.util.function.UnaryOperator<SDVariable> sublayer, SDVariable dropoutMask) {
        SDVariable g = p.get(lnPrefix + "g");
        SDVariable b = p.get(lnPrefix + "b");
        java.util.function.UnaryOperator<SDVariable> dropped = dropoutMask == null ? sublayer
                : in -> sublayer.apply(in).mul(dropoutMask);
        return norm == NormPosition.POST ? layerNorm(sd, x.add(dropped.apply(x)), g, b)
                : x.add(dropped.apply(layerNorm(sd, x, g, b)));
    }

    /** NCW [mb, d, t] → batch-major [mb, t, d] (and back: the same permutation). */
    static SDVariable swapFeaturesAndTime(SameDiff sd, SDVariable x) {
        return sd.permute(x, 0, 2, 1);
    }

    /** Xavier (Glorot uniform) initialisation in place. */
    static void xavier(INDArray view, long fanIn, long fanOut) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            WeightInitUtil.initWeights(fanIn, fanOut, view.shape(), WeightInit.XAVIER, null, 'c', view);
        }
    }

    /** Sets a view to a constant, outside workspaces. */
    static void fill(INDArray view, double value) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            view.assign(value);
        }
    }
}
