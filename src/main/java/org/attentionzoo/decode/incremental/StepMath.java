package org.attentionzoo.decode.incremental;

import org.attentionzoo.util.DirectMatmul;
import org.attentionzoo.layers.transformer.FeedForwardActivation;
import org.attentionzoo.layers.transformer.NormPosition;
import org.attentionzoo.util.DirectBuffers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.GELU;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Eager ND4J versions of the Transformer building blocks, on one position per row: x is [n, d] (row i =
 * the current position of sequence i). Each method does the operations of its SameDiff counterpart in
 * {@code org.attentionzoo.layers.transformer.Blocks}, in the same order and data type, so that the two
 * agree to rounding.
 */
final class StepMath {

    /** As {@code Blocks.LAYER_NORM_EPS}: the variance epsilon of PyTorch's LayerNorm. */
    static final double LAYER_NORM_EPS = 1e-5;

    private StepMath() {
    }

    /**
     * x W (+ b): [n, dIn] → [n, dOut].
     *
     * @param b bias [1, dOut], or null for none
     */
    static INDArray linear(INDArray x, INDArray w, INDArray b) {
        INDArray y = DirectMatmul.mmul(x, w);
        return b == null ? y : y.addiRowVector(b);
    }

    /**
     * Layer normalisation (Ba et al. 2016) over the features of each row:
     * <pre>
     *   mu = mean_j x_j,   var = mean_j (x_j - mu)^2,   y = g ⊙ (x - mu) / sqrt(var + eps) + b
     * </pre>
     * with eps = {@value #LAYER_NORM_EPS}, gain g and bias b [1, d].
     */
    static INDArray layerNorm(INDArray x, INDArray gain, INDArray bias) {
        if (DirectBuffers.floatRows(x) && DirectBuffers.floatRows(gain) && DirectBuffers.floatRows(bias)) {
            return layerNormRows(x, gain, bias);
        }
        INDArray centred = x.subColumnVector(x.mean(true, 1));
        INDArray variance = centred.mul(centred).mean(true, 1);
        INDArray normed = centred.diviColumnVector(Transforms.sqrt(variance.addi(LAYER_NORM_EPS), false));
        return normed.muliRowVector(gain).addiRowVector(bias);
    }

    /**
     * {@link #layerNorm} as one loop over the rows' memory (mean and variance summed in double): ND4J runs
     * it as nine operations, each with its own output and dispatch, which dominate at one row.
     */
    private static INDArray layerNormRows(INDArray x, INDArray gain, INDArray bias) {
        int n = (int) x.size(0);
        int d = (int) x.size(1);
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, new long[]{n, d}, 'c');
        FloatBuffer in = DirectBuffers.floats(x);
        FloatBuffer out = DirectBuffers.floats(y);
        FloatBuffer g = DirectBuffers.floats(gain);
        FloatBuffer b = DirectBuffers.floats(bias);
        for (int i = 0; i < n; i++) {
            int at = i * d;
            double sum = 0;
            for (int j = 0; j < d; j++) {
                sum += in.get(at + j);
            }
            float mean = (float) (sum / d);
            double squares = 0;
            for (int j = 0; j < d; j++) {
                double c = in.get(at + j) - mean;
                squares += c * c;
            }
            float scale = (float) (1.0 / Math.sqrt(squares / d + LAYER_NORM_EPS));
            for (int j = 0; j < d; j++) {
                out.put(at + j, (in.get(at + j) - mean) * scale * g.get(j) + b.get(j));
            }
        }
        return y;
    }


    /**
     * A Transformer sub-layer with its residual connection and LayerNorm (gain/bias {@code ln + "g"},
     * {@code ln + "b"} in {@code params}): POST: LN(x + Sublayer(x)); PRE: x + Sublayer(LN(x)).
     */
    static INDArray residual(NormPosition norm, INDArray x, Map<String, INDArray> params, String ln,
                             UnaryOperator<INDArray> sublayer) {
        return norm == NormPosition.POST ? layerNorm(x.add(sublayer.apply(x)), params, ln)
                : x.add(sublayer.apply(layerNorm(x, params, ln)));
    }

    /** {@link #layerNorm} with the gain and bias {@code ln + "g"}, {@code ln + "b"} of a parameter table. */
    static INDArray layerNorm(INDArray x, Map<String, INDArray> params, String ln) {
        return layerNorm(x, params.get(ln + "g"), params.get(ln + "b"));
    }

    /** FFN(x) = act(x W_1 + b_1) W_2 + b_2 (Vaswani et al. 2017, eq. 2): [n, d_model] → [n, d_model]. */
    static INDArray feedForward(INDArray x, INDArray w1, INDArray b1, INDArray w2, INDArray b2,
                                FeedForwardActivation activation) {
        return linear(activate(linear(x, w1, b1), activation), w2, b2);
    }

    /**
     * The feed-forward non-linearity: max(0, x), or libnd4j's {@code gelu} op, the very op SameDiff's
     * {@code sd.nn().gelu} runs (the sigmoid approximation x·σ(1.702x), not the tanh form: GeluFormTest).
     */
    static INDArray activate(INDArray x, FeedForwardActivation activation) {
        return switch (activation) {
            case RELU -> Transforms.relu(x, false);
            case GELU -> Nd4j.exec(new GELU(x, x.ulike()));
        };
    }
}
