package org.attentionzoo.util;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link DirectBuffers#gatherRows} picks the rows asked for, in every layout and type, and rejects bad indices. */
class DirectBuffersTest {

    /** [5, 3] with element (i, j) = 10 i + j. */
    private static INDArray matrix(DataType type, char order) {
        INDArray m = Nd4j.create(type, new long[]{5, 3}, order);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 3; j++) {
                m.putScalar(i, j, 10 * i + j);
            }
        }
        return m;
    }

    private static double[][] expected(int... rows) {
        double[][] out = new double[rows.length][3];
        for (int k = 0; k < rows.length; k++) {
            for (int j = 0; j < 3; j++) {
                out[k][j] = 10 * rows[k] + j;
            }
        }
        return out;
    }

    @Test
    void gathersRowsOfEveryLayoutAndType() {
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE, DataType.HALF}) {
            for (char order : new char[]{'c', 'f'}) {
                INDArray picked = DirectBuffers.gatherRows(matrix(type, order), new int[]{4, 0, 4, 2});
                assertEquals(type, picked.dataType(), type + " " + order);
                assertArrayEquals(expected(4, 0, 4, 2), picked.toDoubleMatrix(), type + " " + order);
            }
        }
    }

    @Test
    void gathersFromAViewOfRows() {
        INDArray view = matrix(DataType.FLOAT, 'c').get(NDArrayIndex.interval(1, 4), NDArrayIndex.all());   // rows 1, 2, 3
        assertArrayEquals(expected(3, 1), DirectBuffers.gatherRows(view, new int[]{2, 0}).toDoubleMatrix());
    }

    @Test
    void gathersFromAColumnMajorViewAsDl4jHoldsParameters() {
        INDArray whole = Nd4j.create(DataType.FLOAT, new long[]{5, 4}, 'f');
        for (int i = 0; i < 5; i++) {
            whole.putScalar(i, 0, -1);
            for (int j = 0; j < 3; j++) {
                whole.putScalar(i, j + 1, 10 * i + j);
            }
        }
        INDArray view = whole.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 4));         // offset 5, strides (1, 5)
        assertTrue(DirectBuffers.denseColumns(view));
        assertArrayEquals(expected(3, 1, 3), DirectBuffers.gatherRows(view, new int[]{3, 1, 3}).toDoubleMatrix());
        assertThrows(IndexOutOfBoundsException.class, () -> DirectBuffers.gatherRows(view, new int[]{5}));
    }

    @Test
    void rejectsIndicesOutsideTheMatrix() {
        INDArray view = matrix(DataType.FLOAT, 'c').get(NDArrayIndex.interval(1, 4), NDArrayIndex.all());
        assertThrows(IndexOutOfBoundsException.class, () -> DirectBuffers.gatherRows(view, new int[]{0, 3}));
        assertThrows(IndexOutOfBoundsException.class, () -> DirectBuffers.gatherRows(matrix(DataType.DOUBLE, 'c'), new int[]{-1}));
    }
}
