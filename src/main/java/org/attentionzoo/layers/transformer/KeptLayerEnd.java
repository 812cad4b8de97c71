package org.attentionzoo.layers.transformer;

import org.attentionzoo.layers.KeptRows;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * The end of a kept Transformer layer's forward pass, shared by {@link KeptEncoderLayer} and
 * {@link KeptDecoderLayer}: the final LayerNorm when the layer has one (key prefix {@code lnf}), then padded
 * steps set to exactly 0.
 */
final class KeptLayerEnd {

    private final String lnPrefix;
    private final KeptLayerNorm finalNorm;      // null without a final LayerNorm
    private final INDArray steps;               // the time mask as a column [mb·T, 1]
    private final INDArray output;

    /**
     * @param y        the last sub-layer's output rows [mb·T, d_model]
     * @param lnPrefix the final LayerNorm's key prefix, or null for none
     * @param mask     the time mask [mb, T], or null for all steps real
     */
    KeptLayerEnd(INDArray y, String lnPrefix, Map<String, INDArray> params, INDArray mask, long mb, long t) {
        this.lnPrefix = lnPrefix;
        this.finalNorm = lnPrefix == null ? null : new KeptLayerNorm(y, params.get(lnPrefix + "g"), params.get(lnPrefix + "b"));
        this.steps = KeptRows.stepColumn(mask, mb, t, y.dataType());
        this.output = (finalNorm == null ? y : finalNorm.output()).mulColumnVector(steps);
    }

    INDArray output() {
        return output;
    }

    /** dL/d(last sub-layer output) from dL/d(output), writing the final LayerNorm's gradients; reuses dOut. */
    INDArray backward(INDArray dOut, Map<String, INDArray> grads) {
        INDArray dy = dOut.muliColumnVector(steps);
        return finalNorm == null ? dy : finalNorm.backward(dy, grads.get(lnPrefix + "g"), grads.get(lnPrefix + "b"));
    }
}
