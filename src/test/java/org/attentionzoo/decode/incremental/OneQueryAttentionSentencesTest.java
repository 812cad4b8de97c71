package org.attentionzoo.decode.incremental;

import org.attentionzoo.layers.attention.AttentionScore;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Reading each row's sentence in place ({@link OneQueryAttention#contextOfSentences}) gives exactly what the same
 * loop gives over memory gathered row by row, as beam hypotheses of the same sentence read it: rows out of
 * order, repeated and missing sentences, masked keys.
 */
class OneQueryAttentionSentencesTest {

    private static final int MB = 3;
    private static final int HEADS = 2;
    private static final int T = 4;
    private static final int D = 3;
    private static final int[] SENTENCES = {2, 0, 2, 2, 0};

    private static INDArray random(long... shape) {
        return Nd4j.rand(DataType.FLOAT, shape).subi(0.5).muli(4);
    }

    private static INDArray mask() {
        return Nd4j.createFromArray(new float[][]{{1, 1, 0, 0}, {1, 1, 1, 1}, {1, 1, 1, 0}});
    }

    @Test
    void multiHeadRowsReadTheirSentencesInPlace() {
        Nd4j.getRandom().setSeed(5);
        INDArray keys = random(MB, HEADS, T, D);
        INDArray values = random(MB, HEADS, T, D + 1);
        INDArray queries = random(SENTENCES.length * HEADS, D);
        INDArray mask = mask();
        INDArray inPlace = OneQueryAttention.contextOfSentences(queries, keys, values, SENTENCES, HEADS, mask, 0.7);
        INDArray gathered = OneQueryAttention.context(queries, RowState.selectRows(keys, SENTENCES),
                RowState.selectRows(values, SENTENCES), 1, RowState.selectRows(mask, SENTENCES), HEADS, 0.7);
        assertEquals(gathered, inPlace);
        // row 1 (sentence 0) head 1 by hand: keys 2 and 3 are masked
        double[] e = new double[2];
        for (int s = 0; s < 2; s++) {
            for (int k = 0; k < D; k++) {
                e[s] += 0.7 * queries.getDouble(3, k) * keys.getDouble(0, 1, s, k);
            }
        }
        double a0 = 1 / (1 + Math.exp(e[1] - e[0]));
        for (int j = 0; j < D + 1; j++) {
            double expected = a0 * values.getDouble(0, 1, 0, j) + (1 - a0) * values.getDouble(0, 1, 1, j);
            assertEquals(expected, inPlace.getDouble(3, j), 1e-5);
        }
    }

    @Test
    void scoredRowsReadTheirSentencesInPlaceAndReportWeights() {
        Nd4j.getRandom().setSeed(6);
        INDArray keys = random(MB, T, D);
        INDArray values = random(MB, T, D + 2);
        INDArray queries = random(SENTENCES.length, D);
        INDArray mask = RowState.selectRows(mask(), SENTENCES);
        AttentionScore.RowScore dot = AttentionScore.RowScore.scaledDot(D, 1.0);
        INDArray weights = Nd4j.createUninitialized(DataType.FLOAT, new long[]{SENTENCES.length, T}, 'c');
        INDArray inPlace = OneQueryAttention.contextOfSentences(queries, keys, values, SENTENCES, mask, weights, dot);
        INDArray gatheredWeights = Nd4j.createUninitialized(DataType.FLOAT, new long[]{SENTENCES.length, T}, 'c');
        INDArray gathered = OneQueryAttention.context(queries, RowState.selectRows(keys, SENTENCES),
                RowState.selectRows(values, SENTENCES), mask, gatheredWeights, dot);
        assertEquals(gathered, inPlace);
        assertEquals(gatheredWeights, weights);
        assertArrayEquals(new float[]{0, 0}, new float[]{weights.getFloat(1, 2), weights.getFloat(1, 3)});
    }

    @Test
    void aSentenceOutsideTheBatchIsRefused() {
        INDArray keys = random(MB, HEADS, T, D);
        assertThrows(IllegalArgumentException.class, () -> OneQueryAttention.contextOfSentences(random(2, D), keys,
                keys, new int[]{MB}, HEADS, null, 1.0));
    }
}
