package org.attentionzoo.layers.transformer;

import org.attentionzoo.layers.KeptRows;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * LayerNorm over rows [n, d] with its forward pass kept for the backward pass (the same function as
 * {@link Blocks#layerNorm}):
 * <pre>
 *   x̂ = (x − μ) / σ,   σ = sqrt(mean_j (x_j − μ)² + eps),   y = g ⊙ x̂ + b
 *   backward:  dg = Σ_rows dy ⊙ x̂,   db = Σ_rows dy,   with dx̂ = dy ⊙ g:
 *              dx = (dx̂ − mean_j dx̂_j − x̂ ⊙ mean_j (dx̂_j x̂_j)) / σ
 * </pre>
 */
final class KeptLayerNorm {

    private final INDArray gain;
    private final INDArray normed;          // x̂ [n, d]
    private final INDArray inverseStd;      // 1/σ [n, 1]
    private final INDArray output;

    /** The forward pass on rows x [n, d] with gain and bias [1, d]. */
    KeptLayerNorm(INDArray x, INDArray gain, INDArray bias) {
        this.gain = gain;
        INDArray centred = x.subColumnVector(x.mean(true, 1));
        INDArray variance = centred.mul(centred).mean(true, 1);
        inverseStd = Transforms.pow(variance.addi(Blocks.LAYER_NORM_EPS), -0.5, false);
        normed = centred.muliColumnVector(inverseStd);
        output = normed.mulRowVector(gain).addiRowVector(bias);
    }

    /** y. */
    INDArray output() {
        return output;
    }

    /** Writes dg and db into the gradient views and returns dL/dx. */
    INDArray backward(INDArray dy, INDArray dGain, INDArray dBias) {
        dGain.assign(KeptRows.columnSums(dy.mul(normed)));
        dBias.assign(KeptRows.columnSums(dy));
        INDArray dNormed = dy.mulRowVector(gain);
        INDArray projection = dNormed.mul(normed).mean(true, 1);
        return dNormed.subiColumnVector(dNormed.mean(true, 1))
                .subi(normed.mulColumnVector(projection))
                .muliColumnVector(inverseStd);
    }
}
