package org.attentionzoo.decode;

import org.attentionzoo.decode.step.TopTokens;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link TopTokens#of}: order, ties to the lower id, exclusions, k above the vocabulary size. */
class TopTokensTest {

    @Test
    void keepsTheKLargestBestFirstWithTiesToTheLowerId() {
        double[] row = {-3.0, -1.0, -2.0, -1.0, Double.NEGATIVE_INFINITY, -0.5, -2.0};
        TopTokens top = TopTokens.of(row, 4);
        assertArrayEquals(new int[]{5, 1, 3, 2}, top.tokens());
        assertArrayEquals(new double[]{-0.5, -1.0, -1.0, -2.0}, top.logProbs(), 0.0);
        assertArrayEquals(new int[]{1, 3, 2}, TopTokens.of(row, 3, 5).tokens(), "5 excluded");
        assertArrayEquals(new int[]{5, 1, 3, 2, 6, 0, 4}, TopTokens.of(row, 10).tokens(), "k above V: every token");
        assertArrayEquals(new int[]{0}, TopTokens.of(new double[]{-2.0, -2.0}, 1).tokens());
    }

    @Test
    void aSelectionKnowsItsBestValue() {
        TopTokens.Selection selection = new TopTokens.Selection(2);
        assertEquals(Double.NEGATIVE_INFINITY, selection.best());
        selection.offer(0, -2.0);
        selection.offer(1, -0.5);
        selection.offer(2, -1.0);
        assertEquals(-0.5, selection.best());
        assertEquals(-1.0, selection.floor());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> TopTokens.of(new double[3], 0));
        assertThrows(IllegalArgumentException.class, () -> TopTokens.of(new double[3], 1, 3));
        assertThrows(IllegalArgumentException.class, () -> new TopTokens(new int[2], new double[1]));
    }
}
