package org.attentionzoo.models;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The blocked transpose of {@link TiedEmbeddings#transposeInto} against ND4J's, on shapes that are no multiple of its tile. */
class TiedEmbeddingsTransposeTest {

    @Test
    void copyAndAddEqualNd4jsTransposeInFloatAndDouble() {
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            INDArray a = Nd4j.rand(type, 37, 70).dup('f');
            INDArray b = Nd4j.rand(type, 70, 37).dup('f');
            INDArray expectedSum = a.add(b.transpose());
            assertTrue(TiedEmbeddings.transposeInto(a, b, true));
            assertEquals(0.0, a.sub(expectedSum).amaxNumber().doubleValue(), 0.0, type + " add");
            assertTrue(TiedEmbeddings.transposeInto(a, b, false));
            assertEquals(b.transpose(), a, type + " copy");
        }
    }

    @Test
    void otherLayoutsAreLeftToNd4j() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 4, 6);                            // c-order
        INDArray before = a.dup();
        assertFalse(TiedEmbeddings.transposeInto(a, Nd4j.rand(DataType.FLOAT, 6, 4).dup('f'), true));
        assertEquals(before, a);
        assertFalse(TiedEmbeddings.transposeInto(Nd4j.rand(DataType.FLOAT, 4, 6).dup('f'),
                Nd4j.rand(DataType.DOUBLE, 6, 4).dup('f'), true), "mixed types");
        assertFalse(TiedEmbeddings.transposeInto(Nd4j.rand(DataType.FLOAT, 4, 6).dup('f'),
                Nd4j.rand(DataType.FLOAT, 4, 6).dup('f'), true), "shapes that are not transposes");
    }
}
