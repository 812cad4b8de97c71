package org.attentionzoo.layers.transformer;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** Non-linearity of the position-wise feed-forward network FFN(x) = act(x W_1 + b_1) W_2 + b_2. */
public enum FeedForwardActivation {
    /** max(0, x), as in Vaswani et al. (2017), eq. 2. */
    RELU,
    /** GELU (Hendrycks and Gimpel 2016) as libnd4j computes it: the sigmoid approximation x·σ(1.702x) (GeluFormTest). */
    GELU;

    SDVariable apply(SameDiff sd, SDVariable x) {
        return this == RELU ? sd.nn().relu(x, 0.0) : sd.nn().gelu(x);
    }
}
