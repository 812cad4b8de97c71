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

/**
 * {@link DirectMatmul} against x W computed in double precision by ND4J, on both sides of the sgemv/sgemm
 * switch, for W row-major, column-major (as DL4J stores weights) and as a view into a larger parameter array,
 * and for x as a strided view; doubles and other layouts take ND4J's path and give the same product.
 */
class DirectMatmulTest {

    private static void assertProduct(INDArray x, INDArray w, INDArray got) {
        INDArray expected = x.castTo(DataType.DOUBLE).mmul(w.castTo(DataType.DOUBLE));
        assertArrayEquals(expected.shape(), got.shape());
        double scale = expected.amaxNumber().doubleValue();
        double diff = expected.sub(got.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-5 * scale, "max |difference| " + diff + " at scale " + scale);
    }

    @Test
    void productsEqualTheDoublePrecisionProduct() {
        Nd4j.getRandom().setSeed(1);
        for (int rows : new int[]{1, 3, DirectMatmul.GEMV_ROWS - 1, DirectMatmul.GEMV_ROWS, 37}) {
            for (char order : new char[]{'c', 'f'}) {
                INDArray x = Nd4j.randn(DataType.FLOAT, rows, 24);
                INDArray w = Nd4j.randn(DataType.FLOAT, 24, 40).dup(order);
                assertProduct(x, w, DirectMatmul.mmul(x, w));
                INDArray acc = Nd4j.randn(DataType.FLOAT, rows, 40);
                INDArray expected = acc.castTo(DataType.DOUBLE).add(x.castTo(DataType.DOUBLE).mmul(w.castTo(DataType.DOUBLE)));
                INDArray got = DirectMatmul.mmulAdd(x, w, acc);
                assertTrue(got == acc, "updated in place");
                assertTrue(expected.sub(got.castTo(DataType.DOUBLE)).amaxNumber().doubleValue() < 1e-4, rows + " rows, W " + order);
            }
        }
    }

    @Test
    void viewsAreReadAtTheirOffsetsAndStrides() {
        Nd4j.getRandom().setSeed(2);
        INDArray params = Nd4j.randn(DataType.FLOAT, 1, 7 + 24 * 40 + 5);
        INDArray w = params.get(NDArrayIndex.point(0), NDArrayIndex.interval(7, 7 + 24 * 40)).reshape('f', 24, 40);
        assertEquals(7, w.offset(), "a column-major view into a flat parameter array, as DL4J's");
        INDArray wide = Nd4j.randn(DataType.FLOAT, 20, 30);
        INDArray x = wide.get(NDArrayIndex.all(), NDArrayIndex.interval(3, 27));      // rows 30 apart in memory
        INDArray xT = Nd4j.randn(DataType.FLOAT, 24, 20).transpose();                  // columns contiguous: copied
        for (int rows : new int[]{1, 5, 20}) {
            INDArray xr = x.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
            assertProduct(xr, w, DirectMatmul.mmul(xr, w));
            INDArray xtr = xT.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
            assertProduct(xtr, w, DirectMatmul.mmul(xtr, w));
        }
        INDArray rowView = w.getRow(3, true);                                           // W [1, 40], strided
        INDArray one = Nd4j.randn(DataType.FLOAT, 2, 1);
        assertProduct(one, rowView, DirectMatmul.mmul(one, rowView));
    }

    /** A block of rows of a column-major W (columns further apart than its height), as a decoder's split input. */
    @Test
    void rowBlocksOfAColumnMajorMatrix() {
        Nd4j.getRandom().setSeed(3);
        INDArray full = Nd4j.randn(DataType.FLOAT, 30, 40).dup('f');
        for (long[] block : new long[][]{{0, 12}, {12, 30}, {5, 6}}) {
            INDArray w = full.get(NDArrayIndex.interval(block[0], block[1]), NDArrayIndex.all());
            for (int rows : new int[]{1, 7, 33}) {
                INDArray x = Nd4j.randn(DataType.FLOAT, rows, w.size(0));
                assertProduct(x, w, DirectMatmul.mmul(x, w));
            }
        }
    }

    @Test
    void doublesGoThroughNd4j() {
        INDArray x = Nd4j.randn(DataType.DOUBLE, 4, 6);
        INDArray w = Nd4j.randn(DataType.DOUBLE, 6, 3);
        assertEquals(0.0, x.mmul(w).sub(DirectMatmul.mmul(x, w)).amaxNumber().doubleValue(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> DirectMatmul.mmul(x, Nd4j.randn(DataType.DOUBLE, 5, 3)));
    }
}
