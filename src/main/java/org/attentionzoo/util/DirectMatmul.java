package org.attentionzoo.util;

import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;

/**
 * The matrix product x W of a few rows, computed by OpenBLAS (the BLAS that ND4J's CPU backend itself calls)
 * straight on the arrays' memory: {@code cblas_sgemv} per row below {@value #GEMV_ROWS} rows, one
 * {@code cblas_sgemm} from there on.
 *
 * <p>Why: a decoding step multiplies one to a few dozen rows by each weight matrix, and ND4J's {@code mmul}
 * runs every product as a matrix-matrix product with its own shape checks and output allocation, which costs
 * several times a matrix-vector product at one row; from {@value #GEMV_ROWS} rows on, one sgemm is as fast as
 * {@code mmul} or faster.
 *
 * <p>Float arrays whose rows (x) and whose rows or columns (W) lie contiguously in memory go this way (W's
 * columns may be spaced further apart than its height, as in a block of rows of a column-major matrix); any
 * other array (doubles, other strided views) goes to ND4J's {@code mmul}, so the result is always x W.
 */
public final class DirectMatmul {

    /** From this many rows on, one sgemm; below, one sgemv per row. */
    static final int GEMV_ROWS = 16;

    private static final int ROW_MAJOR = openblas_nolapack.CblasRowMajor;
    private static final int NO_TRANS = openblas_nolapack.CblasNoTrans;
    private static final int TRANS = openblas_nolapack.CblasTrans;

    private DirectMatmul() {
    }

    /**
     * x W.
     *
     * @param x [n, k]
     * @param w [k, m]
     * @return [n, m], a new row-major array (in the current workspace, if any)
     */
    public static INDArray mmul(INDArray x, INDArray w) {
        if (!direct(x, w)) {
            return x.mmul(w);
        }
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, new long[]{x.size(0), w.size(1)}, 'c');
        product(rowMajor(x), w, out, 0f);
        return out;
    }

    /**
     * {@code into} += x W.
     *
     * @param into [n, m], updated in place and returned
     */
    public static INDArray mmulAdd(INDArray x, INDArray w, INDArray into) {
        if (!direct(x, w) || !DirectBuffers.floatRows(into)) {
            return into.addi(x.mmul(w));
        }
        product(rowMajor(x), w, into, 1f);
        return into;
    }

    private static boolean direct(INDArray x, INDArray w) {
        if (x.rank() != 2 || w.rank() != 2 || x.size(1) != w.size(0)) {
            throw new IllegalArgumentException("x W needs x [n, k] and W [k, m]; got " + java.util.Arrays.toString(x.shape())
                    + " and " + java.util.Arrays.toString(w.shape()));
        }
        return x.dataType() == DataType.FLOAT && w.dataType() == DataType.FLOAT && x.size(0) > 0
                && (columnMajor(w) || DirectBuffers.denseRows(w));
    }

    /** out = x W + beta out, x dense rows, W dense rows or dense columns, out dense rows. */
    private static void product(INDArray x, INDArray w, INDArray out, float beta) {
        int n = (int) x.size(0);
        int k = (int) x.size(1);
        int m = (int) w.size(1);
        boolean wColumns = columnMajor(w);        // W column-major [k, m] is row-major Wᵀ [m, k]
        FloatBuffer xs = DirectBuffers.floats(x);
        FloatBuffer ws = DirectBuffers.floats(w);
        FloatBuffer os = DirectBuffers.floats(out);
        int ldx = n == 1 ? k : (int) x.stride(0);
        int ldw = wColumns ? (m == 1 ? k : (int) w.stride(1)) : m;
        if (n < GEMV_ROWS) {
            for (int i = 0; i < n; i++) {
                FloatBuffer xi = xs.position(i * ldx).slice();
                FloatBuffer oi = os.position(i * m).slice();
                if (wColumns) {                                        // y = Wᵀ x with Wᵀ stored row-major
                    openblas_nolapack.cblas_sgemv(ROW_MAJOR, NO_TRANS, m, k, 1f, ws, ldw, xi, 1, beta, oi, 1);
                } else {
                    openblas_nolapack.cblas_sgemv(ROW_MAJOR, TRANS, k, m, 1f, ws, ldw, xi, 1, beta, oi, 1);
                }
            }
        } else {
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, NO_TRANS, wColumns ? TRANS : NO_TRANS, n, m, k,
                    1f, xs, ldx, ws, ldw, beta, os, m);
        }
    }

    /** x itself when its rows are contiguous, else a row-major copy. */
    private static INDArray rowMajor(INDArray x) {
        return x.stride(1) == 1 && (x.size(0) == 1 || x.stride(0) >= x.size(1)) ? x : x.dup('c');
    }

    /** Whether each column is contiguous, the next one at least a column's height further on. */
    private static boolean columnMajor(INDArray a) {
        return a.stride(0) == 1 && (a.size(1) == 1 || a.stride(1) >= a.size(0)) && a.size(0) > 1;
    }
}
