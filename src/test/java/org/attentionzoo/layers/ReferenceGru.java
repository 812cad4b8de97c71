package org.attentionzoo.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Step-by-step GRU in plain INDArray math ({@link GruCell}), independent of SameDiff, for checking {@link GRU}:
 * <pre>
 *   r = sigma(x Wx_r + h Wh_r + b_r),  u = sigma(x Wx_u + h Wh_u + b_u),
 *   c = tanh(x Wx_c + r ⊙ (h Wh_c) + b_c),  h' = u ⊙ h + (1 - u) ⊙ c,   h_0 = 0, gates [r | u | c].
 * </pre>
 */
final class ReferenceGru {

    private ReferenceGru() {
    }

    /**
     * @param x  input [mb, nIn, T]
     * @param wx [nIn, 3 nOut]
     * @param wh [nOut, 3 nOut]
     * @param b  [1, 3 nOut]
     * @return all states [mb, nOut, T]
     */
    static INDArray forward(INDArray x, INDArray wx, INDArray wh, INDArray b) {
        long t = x.size(2);
        GruCell cell = new GruCell(wx, wh, b);
        INDArray h = cell.zeroState(x.size(0));
        INDArray out = Nd4j.zeros(x.dataType(), x.size(0), cell.hiddenSize(), t);
        for (int s = 0; s < t; s++) {
            INDArray xt = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(s)); // [mb, nIn]
            h = cell.step(xt, h);
            out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(s)).assign(h);
        }
        return out;
    }
}
