package org.attentionzoo.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Array helpers of the kept-forward training runtimes (the Transformer's {@code KeptEncoderLayer} and
 * {@code KeptDecoderLayer}, {@code KeptLuongAttention}):
 * sequences as rows [mb·t, d] (row b·t + s is step s of sequence b), products into fresh c-order arrays, heads
 * split and merged. Every array is created in whatever ND4J workspace is active when these are called.
 */
public final class KeptRows {

    private KeptRows() {
    }

    /** NCW [mb, d, t] → rows [mb·t, d] (a copy). */
    public static INDArray fromNcw(INDArray ncw) {
        long mb = ncw.size(0);
        long d = ncw.size(1);
        long t = ncw.size(2);
        return ncw.permute(0, 2, 1).dup('c').reshape('c', mb * t, d);
    }

    /** Rows [mb·t, d] → NCW [mb, d, t], written into {@code out}. */
    public static INDArray toNcw(INDArray rows, INDArray out) {
        long mb = out.size(0);
        long t = out.size(2);
        out.permute(0, 2, 1).assign(rows.reshape('c', mb, t, rows.size(1)));
        return out;
    }

    /** op(a) op(b) for matrices or batches of matrices (rank 3), into a new c-order array. */
    public static INDArray mm(INDArray a, INDArray b, boolean transposeA, boolean transposeB) {
        int r = a.rank();
        long rows = transposeA ? a.size(r - 1) : a.size(r - 2);
        long cols = transposeB ? b.size(r - 2) : b.size(r - 1);
        long[] shape = r == 2 ? new long[]{rows, cols} : new long[]{a.size(0), rows, cols};
        INDArray out = Nd4j.createUninitialized(a.dataType(), shape, 'c');
        return Nd4j.matmul(a, b, out, transposeA, transposeB, false);
    }

    /**
     * Σ over rows of a matrix [n, d], as [1, d], computed as the product 1ᵀ x: in M2.1, ND4J's {@code sum(true, 0)}
     * over c-order rows is several times slower than the product.
     */
    public static INDArray columnSums(INDArray x) {
        return mm(Nd4j.ones(x.dataType(), 1, x.size(0)), x, false, false);
    }

    /** x W + b on rows (b null: none). */
    public static INDArray linear(INDArray x, INDArray w, INDArray b) {
        INDArray y = mm(x, w, false, false);
        return b == null ? y : y.addiRowVector(b);
    }

    /** Rows [mb·t, h·dk] → per-head batches [mb·h, t, dk]. */
    public static INDArray splitHeads(INDArray rows, long mb, long t, long heads) {
        long dk = rows.size(1) / heads;
        return rows.reshape('c', mb, t, heads, dk).permute(0, 2, 1, 3).dup('c').reshape('c', mb * heads, t, dk);
    }

    /** Per-head batches [mb·h, t, dk] → rows [mb·t, h·dk]. */
    public static INDArray mergeHeads(INDArray perHead, long mb, long heads) {
        long t = perHead.size(1);
        long dk = perHead.size(2);
        return perHead.reshape('c', mb, heads, t, dk).permute(0, 2, 1, 3).dup('c').reshape('c', mb * t, heads * dk);
    }

    /** A residual dropout mask [mb, t, d] as rows [mb·t, d], or null for none. */
    public static INDArray dropoutRows(INDArray mask, long d) {
        return mask == null ? null : mask.reshape('c', mask.length() / d, d);
    }

    /** A time mask [mb, t] (null: all ones) as a column [mb·t, 1] of the rows' type. */
    public static INDArray stepColumn(INDArray mask, long mb, long t, org.nd4j.linalg.api.buffer.DataType type) {
        if (mask == null) {
            return Nd4j.ones(type, mb * t, 1);
        }
        return mask.castTo(type).dup('c').reshape('c', mb * t, 1);
    }
}
