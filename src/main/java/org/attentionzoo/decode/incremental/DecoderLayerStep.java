package org.attentionzoo.decode.incremental;

import org.attentionzoo.layers.transformer.DecoderLayer;
import org.attentionzoo.layers.transformer.EncoderLayer;
import org.attentionzoo.layers.transformer.FeedForwardActivation;
import org.attentionzoo.layers.transformer.NormPosition;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One trained {@link DecoderLayer}, run eagerly for the newest target position only, with the keys and
 * values of the earlier positions taken from a cache (Vaswani et al. 2017, section 3.1):
 * <pre>
 *   POST-LN:  z_1 = LN_1(x + MultiHead_self(x, K_≤t, V_≤t))          K_≤t = [K_&lt;t ; x W_K], V likewise
 *             z_2 = LN_2(z_1 + MultiHead_cross(z_1, K_e, V_e))        K_e = e W_K', V_e = e W_V' (encoder output e)
 *             y   = LN_3(z_2 + FFN(z_2))
 *   PRE-LN:   z_1 = x + MultiHead_self(LN_1(x), ...)   (keys and values are those of LN_1(x) at every position)
 *             z_2 = z_1 + MultiHead_cross(LN_2(z_1), K_e, V_e),   y = z_2 + FFN(LN_3(z_2))   [then LN_f(y)]
 * </pre>
 * The graph's causal mask lets position t see positions s ≤ t: exactly the cache plus the new position, so
 * no mask is needed here; padded source positions are masked in the cross-attention. Position t's output
 * does not depend on later positions, which is why it equals the graph's output at t for the whole prefix.
 */
final class DecoderLayerStep {

    private final NormPosition norm;
    private final FeedForwardActivation activation;
    private final boolean finalLayerNorm;
    private final StepAttention self;
    private final StepAttention cross;
    private final Map<String, INDArray> params;

    /**
     * @param config the vertex's configuration
     * @param params its parameter table (views of the graph's parameters)
     */
    DecoderLayerStep(DecoderLayer config, Map<String, INDArray> params) {
        this.norm = config.normPosition();
        this.activation = config.activation();
        this.finalLayerNorm = config.hasFinalLayerNorm();
        this.self = new StepAttention(config.attention(), params, DecoderLayer.SELF);
        this.cross = new StepAttention(config.attention(), params, DecoderLayer.CROSS);
        this.params = params;
        for (String key : new String[]{"ln1g", "ln2g", "ln3g", EncoderLayer.W1, EncoderLayer.B1, EncoderLayer.W2,
                EncoderLayer.B2}) {
            GraphLayers.param(params, key);
        }
        if (finalLayerNorm) {
            GraphLayers.param(params, "lnfg");
        }
    }

    /**
     * The cross-attention's keys and values of the encoder output, computed once per sentence.
     *
     * @param encoderOutput e, batch-major [mb, tSrc, d_model]
     */
    KeyValues encoderKeyValues(INDArray encoderOutput) {
        return cross.keyValues(encoderOutput);
    }

    /**
     * The layer at one position.
     *
     * @param x          the layer's input at the new position, [n, d_model]
     * @param cache      self-attention keys and values of the earlier positions [N, h, t, d_k] (of the parents), or
     *                   null at t = 0
     * @param cacheRows  each row's row of {@code cache}
     * @param encoder    the cross-attention's keys and values of the sentences [mb, h, tSrc, d_k]
     * @param sourceMask [mb, tSrc], 1 for real source tokens
     * @param sentences  each row's sentence, in 0 … mb − 1
     * @return the layer's output at the new position and the cache extended by it
     */
    Result step(INDArray x, KeyValues cache, int[] cacheRows, KeyValues encoder, INDArray sourceMask, int[] sentences) {
        long n = x.size(0);
        KeyValues[] extended = new KeyValues[1];
        INDArray z1 = residual(x, "ln1", in -> {
            KeyValues here = self.keyValues(in.reshape('c', n, 1, in.size(1)));
            extended[0] = cache == null ? here : cache.appendRows(cacheRows, here);
            return self.attend(in, extended[0], null);
        });
        INDArray z2 = residual(z1, "ln2", in -> cross.attendSentences(in, encoder, sourceMask, sentences));
        INDArray y = residual(z2, "ln3", in -> StepMath.feedForward(in, params.get(EncoderLayer.W1),
                params.get(EncoderLayer.B1), params.get(EncoderLayer.W2), params.get(EncoderLayer.B2), activation));
        if (finalLayerNorm) {
            y = layerNorm(y, "lnf");
        }
        return new Result(y, extended[0]);
    }

    /**
     * @param output the layer's output at the new position [n, d_model]
     * @param cache  the self-attention's keys and values up to and including it [n, h, t + 1, d_k]
     */
    record Result(INDArray output, KeyValues cache) {
    }

    private INDArray residual(INDArray x, String ln, UnaryOperator<INDArray> sublayer) {
        return StepMath.residual(norm, x, params, ln, sublayer);
    }

    private INDArray layerNorm(INDArray x, String ln) {
        return StepMath.layerNorm(x, params, ln);
    }
}
