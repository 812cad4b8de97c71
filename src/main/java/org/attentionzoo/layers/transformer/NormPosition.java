package org.attentionzoo.layers.transformer;

/**
 * Where a Transformer sub-layer's LayerNorm sits.
 * <pre>
 *   POST (Vaswani et al. 2017, section 5.4):  y = LayerNorm(x + Sublayer(x))
 *   PRE  (Xiong et al. 2020, "On Layer Normalization in the Transformer Architecture"):
 *                                            y = x + Sublayer(LayerNorm(x))
 * </pre>
 * A PRE stack's output is un-normalised: its last layer should set {@code finalLayerNorm(true)}, which adds
 * one more LayerNorm on the output.
 */
public enum NormPosition {
    POST,
    PRE
}
