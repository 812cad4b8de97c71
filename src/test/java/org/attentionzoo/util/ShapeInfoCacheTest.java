package org.attentionzoo.util;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ShapeInfoCache} installed in ND4J: arrays created through it have the shapes, strides, orders and data
 * types asked for and compute as before, the same descriptor object is handed out again for the same request
 * (beyond the 1000 entries of ND4J's own cache), and a different request gets a different one.
 */
class ShapeInfoCacheTest {

    @Test
    void installedItDescribesArraysAsNd4jDoesAndReusesDescriptors() {
        ShapeInfoCache.install();
        assertTrue(ShapeInfoCache.installed());
        ShapeInfoCache.install();                                                         // again: nothing changes
        assertTrue(ShapeInfoCache.installed());

        INDArray first = null;
        for (int n = 1; n <= 1500; n++) {                                                 // more shapes than ND4J caches
            INDArray a = Nd4j.createUninitialized(DataType.FLOAT, new long[]{n % 7 + 2, n}, 'c');
            assertArrayEquals(new long[]{n % 7 + 2, n}, a.shape());
            assertArrayEquals(new long[]{n == 1 ? 1 : n, 1}, a.stride());
            if (n == 1400) {
                first = a;
            }
        }
        INDArray again = Nd4j.createUninitialized(DataType.FLOAT, new long[]{1400 % 7 + 2, 1400}, 'c');
        assertSame(first.shapeInfoDataBuffer(), again.shapeInfoDataBuffer(), "the same descriptor, cached");

        INDArray f = Nd4j.createUninitialized(DataType.DOUBLE, new long[]{3, 4}, 'f');
        INDArray c = Nd4j.createUninitialized(DataType.DOUBLE, new long[]{3, 4}, 'c');
        assertEquals('f', f.ordering());
        assertArrayEquals(new long[]{1, 3}, f.stride());
        assertEquals(DataType.DOUBLE, f.dataType());
        assertTrue(f.shapeInfoDataBuffer() != c.shapeInfoDataBuffer(), "another order, another descriptor");
        INDArray i = Nd4j.createUninitialized(DataType.INT, new long[]{3, 4}, 'c');
        assertEquals(DataType.INT, i.dataType());

        INDArray m = Nd4j.linspace(1, 12, 12, DataType.DOUBLE).reshape('c', 3, 4);
        INDArray view = m.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3));
        assertArrayEquals(new double[][]{{2, 3}, {6, 7}, {10, 11}}, view.toDoubleMatrix());
        assertArrayEquals(new double[][]{{2 * 2 + 3 * 3, 2 * 6 + 3 * 7}, {6 * 2 + 7 * 3, 6 * 6 + 7 * 7}},
                view.getRows(0, 1).mmul(view.getRows(0, 1).transpose()).toDoubleMatrix());
        assertEquals(Nd4j.empty(DataType.FLOAT).isEmpty(), true);
    }
}
