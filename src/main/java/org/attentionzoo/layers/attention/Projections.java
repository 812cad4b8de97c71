package org.attentionzoo.layers.attention;

import org.attentionzoo.util.DirectMatmul;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A linear map applied to every time step of a batch-major sequence: [mb, t, dIn] · W → [mb, t, dOut].
 * Done as reshape to 2-D, one matrix product, reshape back: SameDiff's tensorMmul has a broken
 * gradient for this case in M2.1 (docs/dl4j-notes.md). The same map on arrays
 * is {@link #apply(INDArray, INDArray, boolean)}.
 */
final class Projections {

    private Projections() {
    }

    /**
     * @param x          [mb, t, dIn]
     * @param w          [dIn, dOut], or [dOut, dIn] when {@code transposeW}
     * @param transposeW multiply by wᵀ instead of w
     * @param dIn        the input size (static, for the reshape)
     * @return [mb, t, dOut]
     */
    static SDVariable apply(SameDiff sd, SDVariable x, SDVariable w, boolean transposeW, long dIn) {
        SDVariable rows = sd.reshape(x, -1, dIn);                                        // [mb*t, dIn]
        SDVariable projected = sd.mmul(rows, w, false, transposeW, false);               // [mb*t, dOut]
        SDVariable outShape = sd.concat(0, x.shape().get(SDIndex.interval(0, 2)),
                projected.shape().get(SDIndex.interval(1, 2)));                           // [mb, t, dOut]
        return sd.reshape(projected, outShape);
    }

    /**
     * {@link #apply(SameDiff, SDVariable, SDVariable, boolean, long)} on arrays.
     *
     * @param x          [mb, t, dIn]
     * @param w          [dIn, dOut], or [dOut, dIn] when {@code transposeW}
     * @param transposeW multiply by wᵀ instead of w
     * @return [mb, t, dOut]
     */
    static INDArray apply(INDArray x, INDArray w, boolean transposeW) {
        long mb = x.size(0);
        long t = x.size(1);
        INDArray rows = x.reshape('c', mb * t, x.size(2));                               // [mb*t, dIn]
        INDArray projected = DirectMatmul.mmul(rows, transposeW ? w.transpose() : w);    // [mb*t, dOut]
        return projected.reshape('c', mb, t, projected.size(1));
    }
}
