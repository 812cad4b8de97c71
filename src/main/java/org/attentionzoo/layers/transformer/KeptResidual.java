package org.attentionzoo.layers.transformer;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.function.Function;

/**
 * One residual sub-layer with its LayerNorm and residual dropout, its forward pass kept for the backward pass
 * (the function of {@link Blocks#residual}):
 * <pre>
 *   POST:  y = LN(x + D ⊙ f(x))          backward: dr = LN'(dy),  dx = dr + f'(D ⊙ dr)
 *   PRE:   y = x + D ⊙ f(LN(x))          backward: dx = dy + LN'(f'(D ⊙ dy))
 * </pre>
 */
final class KeptResidual {

    /** A sub-layer's kept forward pass: its output, and its backward pass (gradients into the views). */
    interface Sublayer {
        INDArray output();

        INDArray backward(INDArray dOut, Map<String, INDArray> grads);
    }

    private final NormPosition norm;
    private final String ln;
    private final INDArray dropout;
    private final Sublayer sublayer;
    private final KeptLayerNorm layerNorm;
    private final INDArray output;

    private KeptResidual(NormPosition norm, String ln, INDArray dropout, Sublayer sublayer, KeptLayerNorm layerNorm,
                         INDArray output) {
        this.norm = norm;
        this.ln = ln;
        this.dropout = dropout;
        this.sublayer = sublayer;
        this.layerNorm = layerNorm;
        this.output = output;
    }

    /**
     * @param x       rows [n, d_model]
     * @param ln      the LayerNorm's key prefix (gain {@code ln + "g"}, bias {@code ln + "b"})
     * @param dropout residual dropout mask [n, d_model], or null
     * @param f       runs the sub-layer's kept forward pass on its input rows
     */
    static KeptResidual forward(NormPosition norm, INDArray x, Map<String, INDArray> params, String ln,
                                INDArray dropout, Function<INDArray, Sublayer> f) {
        INDArray gain = params.get(ln + "g");
        INDArray bias = params.get(ln + "b");
        if (norm == NormPosition.POST) {
            Sublayer s = f.apply(x);
            KeptLayerNorm n = new KeptLayerNorm(x.add(dropped(s.output(), dropout)), gain, bias);
            return new KeptResidual(norm, ln, dropout, s, n, n.output());
        }
        KeptLayerNorm n = new KeptLayerNorm(x, gain, bias);
        Sublayer s = f.apply(n.output());
        return new KeptResidual(norm, ln, dropout, s, n, x.add(dropped(s.output(), dropout)));
    }

    INDArray output() {
        return output;
    }

    INDArray backward(INDArray dy, Map<String, INDArray> grads) {
        INDArray gGain = grads.get(ln + "g");
        INDArray gBias = grads.get(ln + "b");
        if (norm == NormPosition.POST) {
            INDArray dSum = layerNorm.backward(dy, gGain, gBias);
            return sublayer.backward(dropped(dSum.dup(), dropout), grads).addi(dSum);
        }
        INDArray dNormed = sublayer.backward(dropped(dy.dup(), dropout), grads);
        return layerNorm.backward(dNormed, gGain, gBias).addi(dy);
    }

    private static INDArray dropped(INDArray a, INDArray dropout) {
        return dropout == null ? a : a.muli(dropout);
    }
}
