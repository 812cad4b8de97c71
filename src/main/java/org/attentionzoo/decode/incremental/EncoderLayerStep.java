package org.attentionzoo.decode.incremental;

import org.attentionzoo.layers.transformer.EncoderLayer;
import org.attentionzoo.util.DirectBuffers;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * One trained {@link EncoderLayer} run eagerly on whole sequences (Vaswani et al. 2017, section 3.1):
 * <pre>
 *   z = residual(x, SelfAttention)      every position attends to the sequence's real positions
 *   y = residual(z, FFN)                then LN_final with "pre" norm in the last layer
 * </pre>
 * with {@link StepMath#residual} (POST: LN(x + Sublayer(x)); PRE: x + Sublayer(LN(x))), then padded
 * positions set to 0, as the layer's step mask does. Float models.
 */
final class EncoderLayerStep {

    private final EncoderLayer config;
    private final StepAttention attention;
    private final Map<String, INDArray> params;

    /**
     * @param config the layer's configuration
     * @param params its parameter table (views of the graph's parameters)
     */
    EncoderLayerStep(EncoderLayer config, Map<String, INDArray> params) {
        this.config = config;
        this.attention = new StepAttention(config.attention(), params, "");
        this.params = params;
        for (String key : new String[]{"ln1g", "ln2g", EncoderLayer.W1, EncoderLayer.B1, EncoderLayer.W2, EncoderLayer.B2}) {
            GraphLayers.param(params, key);
        }
    }

    /**
     * @param x       the layer's input [n·T, d_model], row (i, t) = position t of sequence i
     * @param lengths the real length of each sequence
     * @param mask    [n, T], 1 for real positions
     * @return the layer's output, same shape
     */
    INDArray apply(INDArray x, int n, int t, int[] lengths, INDArray mask) {
        INDArray z = StepMath.residual(config.getNormPosition(), x, params, "ln1", in -> attention.attendWithin(in, n, t, mask));
        INDArray y = StepMath.residual(config.getNormPosition(), z, params, "ln2", in -> StepMath.feedForward(in,
                params.get(EncoderLayer.W1), params.get(EncoderLayer.B1), params.get(EncoderLayer.W2),
                params.get(EncoderLayer.B2), config.getActivation()));
        if (config.hasFinalLayerNorm()) {
            y = StepMath.layerNorm(y, params, "lnf");
        }
        INDArray out = DirectBuffers.denseRows(y) ? y : y.dup('c');
        FloatBuffer values = DirectBuffers.floats(out);
        int d = (int) out.size(1);
        for (int i = 0; i < n; i++) {
            for (int at = (i * t + lengths[i]) * d, end = (i + 1) * t * d; at < end; at++) {
                values.put(at, 0f);
            }
        }
        return out;
    }
}
