package org.attentionzoo.util;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * An ND4J array's native memory as a Java buffer, for loops that read or write every element without a copy
 * (ND4J's {@code toFloatVector} and {@code data().asDouble()} copy into a new Java array, a large one per call).
 * Index 0 is the array's first element: ND4J's buffer starts at the base of a view's memory, and
 * {@code offset()} is where the view begins. Only for arrays whose elements follow one another in memory
 * ({@link #contiguous}).
 */
public final class DirectBuffers {

    private DirectBuffers() {
    }

    /** Whether the array's elements lie one after another in memory, in its ordering. */
    public static boolean contiguous(INDArray a) {
        return a.length() <= 1 || a.elementWiseStride() == 1;
    }

    /**
     * Whether a matrix's rows each lie contiguously in memory and follow one another (row-major and dense,
     * as a c-ordered matrix or the transpose of an f-ordered one): element (i, j) is at i·columns + j.
     */
    public static boolean denseRows(INDArray matrix) {
        return matrix.rank() == 2 && matrix.stride(1) == 1 && (matrix.size(0) == 1 || matrix.stride(0) == matrix.size(1));
    }

    /** Whether {@code a} is a float matrix with {@link #denseRows}: what the zoo's loops over rows read. */
    public static boolean floatRows(INDArray a) {
        return a.dataType() == DataType.FLOAT && denseRows(a);
    }

    /** Whether {@code a} (any rank) is c-ordered and its elements follow one another: element (i, j, …) where its shape says. */
    public static boolean denseRowMajor(INDArray a) {
        return a.ordering() == 'c' && contiguous(a);
    }

    /** A float array's elements, from its first; the caller checks the type and {@link #contiguous}. */
    public static FloatBuffer floats(INDArray a) {
        return bytes(a).asFloatBuffer().position((int) a.offset()).slice();
    }

    /** A double array's elements, from its first; the caller checks the type and {@link #contiguous}. */
    public static DoubleBuffer doubles(INDArray a) {
        return bytes(a).asDoubleBuffer().position((int) a.offset()).slice();
    }

    /**
     * matrix[indices]: the listed rows of a matrix, [indices.length, columns], a new row-major array of its type (in
     * the current workspace, if any). Float and double matrices with {@link #denseRows} are copied row by row in
     * memory (a fraction of the cost of ND4J's {@code pullRows}, which a decoding step calls for every batch); any
     * other goes to {@code pullRows}.
     *
     * @throws IndexOutOfBoundsException if an index is outside the matrix
     */
    public static INDArray gatherRows(INDArray matrix, int[] indices) {
        DataType type = matrix.dataType();
        if (type == DataType.FLOAT && denseColumns(matrix)) {
            return gatherColumnMajorRows(matrix, indices);
        }
        if (!denseRows(matrix) || (type != DataType.FLOAT && type != DataType.DOUBLE)) {
            return Nd4j.pullRows(matrix, 1, indices);
        }
        int rows = (int) matrix.size(0);
        int columns = (int) matrix.size(1);
        INDArray out = Nd4j.createUninitialized(type, new long[]{indices.length, columns}, 'c');
        FloatBuffer fromFloats = type == DataType.FLOAT ? floats(matrix) : null;
        FloatBuffer toFloats = type == DataType.FLOAT ? floats(out) : null;
        DoubleBuffer fromDoubles = type == DataType.DOUBLE ? doubles(matrix) : null;
        DoubleBuffer toDoubles = type == DataType.DOUBLE ? doubles(out) : null;
        for (int i = 0; i < indices.length; i++) {
            int row = indices[i];
            if (row < 0 || row >= rows) {
                throw new IndexOutOfBoundsException("row " + row + " of a matrix of " + rows + " rows");
            }
            if (toFloats != null) {
                toFloats.put(i * columns, fromFloats, row * columns, columns);
            } else {
                toDoubles.put(i * columns, fromDoubles, row * columns, columns);
            }
        }
        return out;
    }

    /** Whether a matrix is column-major and dense: element (i, j) at j·rows + i (a DL4J parameter view, say). */
    static boolean denseColumns(INDArray matrix) {
        return matrix.rank() == 2 && matrix.size(0) > 1 && matrix.size(1) > 1 && matrix.stride(0) == 1
                && matrix.stride(1) == matrix.size(0);
    }

    /**
     * {@link #gatherRows} of a dense column-major float matrix (an embedding table as DL4J holds it), read element by
     * element: ND4J's {@code pullRows} builds the matrix's row descriptors on every call, which costs more than the
     * copy for a few dozen rows of a table of thousands.
     */
    private static INDArray gatherColumnMajorRows(INDArray matrix, int[] indices) {
        int rows = (int) matrix.size(0);
        int columns = (int) matrix.size(1);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, new long[]{indices.length, columns}, 'c');
        FloatBuffer from = floats(matrix);
        FloatBuffer to = floats(out);
        float[] row = new float[columns];
        for (int i = 0; i < indices.length; i++) {
            int r = indices[i];
            if (r < 0 || r >= rows) {
                throw new IndexOutOfBoundsException("row " + r + " of a matrix of " + rows + " rows");
            }
            for (int j = 0, at = r; j < columns; j++, at += rows) {
                row[j] = from.get(at);
            }
            to.put(i * columns, row, 0, columns);
        }
        return out;
    }

    private static ByteBuffer bytes(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder());
    }
}
