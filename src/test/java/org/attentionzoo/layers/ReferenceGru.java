package org.attentionzoo.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Step-by-step GRU in plain INDArray math, independent of SameDiff, for checking {@link GRU}:
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
        long mb = x.size(0);
        long t = x.size(2);
        int n = (int) wh.size(0);
        INDArray h = Nd4j.zeros(x.dataType(), mb, n);
        INDArray out = Nd4j.zeros(x.dataType(), mb, n, t);
        for (int s = 0; s < t; s++) {
            INDArray xt = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(s)); // [mb, nIn]
            INDArray gx = xt.mmul(wx).addRowVector(b);
            INDArray gh = h.mmul(wh);
            INDArray r = Transforms.sigmoid(gate(gx, 0, n).add(gate(gh, 0, n)));
            INDArray u = Transforms.sigmoid(gate(gx, 1, n).add(gate(gh, 1, n)));
            INDArray c = Transforms.tanh(gate(gx, 2, n).add(r.mul(gate(gh, 2, n))));
            h = u.mul(h).add(u.rsub(1.0).mul(c));
            out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(s)).assign(h);
        }
        return out;
    }

    private static INDArray gate(INDArray a, int k, int n) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval((long) k * n, (long) (k + 1) * n));
    }
}
