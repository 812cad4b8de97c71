package org.attentionzoo.layers.transformer;

import org.attentionzoo.layers.KeptRows;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;

import static org.attentionzoo.layers.KeptRows.linear;
import static org.attentionzoo.layers.KeptRows.mm;

/**
 * The position-wise feed-forward network with ReLU on rows [n, d_model], its forward pass kept for the backward
 * pass (the same function as {@link Blocks#feedForward}):
 * <pre>
 *   H = max(0, x W_1 + b_1),   F = H W_2 + b_2
 *   backward:  dW_2 = Hᵀ dF,  db_2 = Σ dF,  dA = (dF W_2ᵀ) ⊙ [H &gt; 0],  dW_1 = xᵀ dA,  db_1 = Σ dA,  dx = dA W_1ᵀ
 * </pre>
 */
final class KeptFeedForward implements KeptResidual.Sublayer {

    private final INDArray input;
    private final INDArray hidden;
    private final Map<String, INDArray> params;
    private final String prefix;
    private final INDArray output;

    /** The forward pass on rows x [n, d_model]; parameters under {@code prefix}. */
    KeptFeedForward(INDArray x, Map<String, INDArray> params, String prefix) {
        this.input = x;
        this.params = params;
        this.prefix = prefix;
        this.hidden = Transforms.relu(linear(x, params.get(prefix + EncoderLayer.W1), params.get(prefix + EncoderLayer.B1)), false);
        this.output = linear(hidden, params.get(prefix + EncoderLayer.W2), params.get(prefix + EncoderLayer.B2));
    }

    @Override
    public INDArray output() {
        return output;
    }

    /** Writes the four gradients into {@code grads} (views by key) and returns dL/dx. */
    @Override
    public INDArray backward(INDArray dF, Map<String, INDArray> grads) {
        grads.get(prefix + EncoderLayer.W2).assign(mm(hidden, dF, true, false));
        grads.get(prefix + EncoderLayer.B2).assign(KeptRows.columnSums(dF));
        INDArray dA = mm(dF, params.get(prefix + EncoderLayer.W2), false, true).muli(Transforms.sign(hidden, true));
        grads.get(prefix + EncoderLayer.W1).assign(mm(input, dA, true, false));
        grads.get(prefix + EncoderLayer.B1).assign(KeptRows.columnSums(dA));
        return mm(dA, params.get(prefix + EncoderLayer.W1), false, true);
    }
}
