package org.attentionzoo.layers.attention;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Alignment weights from scores: a_ts = softmax_s(e_ts) over the real source positions only,
 * <pre>
 *   a_ts = m_s exp(e_ts) / Σ_s' m_s' exp(e_ts')
 * </pre>
 * computed as softmax(e + (1 − m)·(−1e9)) · m: a padded position's exponent underflows to exactly 0,
 * and the final product makes its weight exactly 0 whatever its score, so padding never draws attention.
 */
public final class MaskedSoftmax {

    /** Large enough that exp(e − 1e9) is 0 in float and double. */
    static final double NEGATIVE_INFINITY_STANDIN = -1e9;

    private MaskedSoftmax() {
    }

    /**
     * @param scores [mb, tQ, tK]
     * @param mask   [mb, tK], 1 for real source positions, 0 for padding
     * @return weights [mb, tQ, tK], every row summing to 1 over the real positions
     */
    public static SDVariable apply(SameDiff sd, SDVariable scores, SDVariable mask) {
        return apply(sd, scores, prepare(sd, mask, scores.dataType()));
    }

    /**
     * The mask-only part of {@link #apply}, for a caller that applies the softmax many times to the same
     * source (a recurrent decoder, once per target step).
     *
     * @param mask     [mb, tK], 1 for real source positions, 0 for padding
     * @param dataType the scores' data type
     */
    public static Prepared prepare(SameDiff sd, SDVariable mask, org.nd4j.linalg.api.buffer.DataType dataType) {
        SDVariable m = sd.expandDims(mask.castTo(dataType), 1);                          // [mb, 1, tK]
        SDVariable blocked = m.rsub(1.0).mul(NEGATIVE_INFINITY_STANDIN);                 // 0 or -1e9
        return new Prepared(m, blocked);
    }

    /**
     * @param scores [mb, tQ, tK]
     * @param mask   from {@link #prepare}
     * @return weights [mb, tQ, tK], as {@link #apply(SameDiff, SDVariable, SDVariable)}
     */
    public static SDVariable apply(SameDiff sd, SDVariable scores, Prepared mask) {
        return sd.nn().softmax(scores.add(mask.blocked()), 2).mul(mask.keep());          // [mb, tQ, tK]
    }

    /**
     * @param keep    the mask as [mb, 1, tK]
     * @param blocked 0 on real positions, {@value #NEGATIVE_INFINITY_STANDIN} on padding, [mb, 1, tK]
     */
    public record Prepared(SDVariable keep, SDVariable blocked) {
    }

    /**
     * {@link #apply(SameDiff, SDVariable, SDVariable)} on arrays.
     *
     * @param scores [mb, tQ, tK]
     * @param mask   [mb, tK], 1 for real source positions, 0 for padding
     * @return weights [mb, tQ, tK]
     */
    public static INDArray apply(INDArray scores, INDArray mask) {
        return applyKeep(scores, mask.castTo(scores.dataType()).reshape('c', mask.size(0), 1, mask.size(1)));
    }

    /**
     * The softmax over the positions that {@code keep} marks, per query: a window of the source (local attention).
     * A row with nothing kept is left unblocked (libnd4j's softmax of a row of −1e9 alone is NaN) and then zeroed.
     *
     * @param scores [mb, tQ, tK]
     * @param keep   [mb, tQ, tK] or [mb, 1, tK], 1 where the softmax runs, of the scores' type
     * @return weights [mb, tQ, tK], 0 outside {@code keep}; a row with nothing kept is all 0
     */
    public static INDArray applyKeep(INDArray scores, INDArray keep) {
        INDArray blocked = keep.rsub(1.0).muli(NEGATIVE_INFINITY_STANDIN).mul(keep.max(true, 2)); // 0 or -1e9; 0 in an empty row
        return Nd4j.nn().softmax(scores.add(blocked), 2).muli(keep);                             // [mb, tQ, tK]
    }

    /**
     * {@link #applyKeep(INDArray, INDArray)} in SameDiff. A row with nothing kept is not blocked at all (libnd4j's
     * softmax of a row of −1e9 is NaN), then multiplied by its zero mask.
     */
    public static SDVariable applyKeep(SameDiff sd, SDVariable scores, SDVariable keep) {
        SDVariable blocked = keep.rsub(1.0).mul(NEGATIVE_INFINITY_STANDIN).mul(keep.max(true, 2));
        return apply(sd, scores, new Prepared(keep, blocked));
    }

    /**
     * The backward pass of the softmax rows: dE = A ⊙ (dA − Σ_s dA ⊙ A), written into {@code dWeights}.
     *
     * @param weights  A [mb, tQ, tK], c-order
     * @param dWeights dL/dA [mb, tQ, tK], c-order; overwritten
     * @return dL/dE [mb, tQ, tK]
     */
    public static INDArray backward(INDArray weights, INDArray dWeights) {
        long tK = weights.size(2);
        INDArray dRows = dWeights.reshape('c', dWeights.length() / tK, tK);                 // a row per query
        INDArray weightRows = weights.reshape('c', weights.length() / tK, tK);
        dRows.subiColumnVector(dRows.mul(weightRows).sum(true, 1)).muli(weightRows);
        return dRows.reshape('c', dWeights.shape());
    }
}
