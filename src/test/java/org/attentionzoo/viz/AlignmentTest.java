package org.attentionzoo.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class AlignmentTest {

    private static final List<String> SOURCE = List.of("le", "chat");
    private static final List<String> TARGET = List.of("the", "cat", "</s>");

    private static Alignment sample() {
        return new Alignment(SOURCE, TARGET, new double[][] {{0.9, 0.1}, {0.3, 0.7}, {0.5, 0.5}});
    }

    private static String rejection(double[][] weights) {
        return assertThrows(IllegalArgumentException.class, () -> new Alignment(SOURCE, TARGET, weights)).getMessage();
    }

    @Test
    void wrongRowCountIsRejectedWithTheShapes() {
        assertEquals("weights must be 3 x 2 (target x source) but has 2 rows",
                rejection(new double[][] {{1, 0}, {0, 1}}));
    }

    @Test
    void wrongColumnCountIsRejectedWithTheShapes() {
        assertEquals("weights must be 3 x 2 (target x source) but row 1 has 3 columns",
                rejection(new double[][] {{1, 0}, {0, 0.5, 0.5}, {0, 1}}));
    }

    @Test
    void nonFiniteAndOutOfRangeWeightsAreRejected() {
        assertEquals("weight [2][0] = NaN is not a finite value in [0, 1]",
                rejection(new double[][] {{1, 0}, {0, 1}, {Double.NaN, 1}}));
        assertEquals("weight [0][1] = 1.5 is not a finite value in [0, 1]",
                rejection(new double[][] {{0, 1.5}, {0, 1}, {0, 1}}));
        assertEquals("weight [1][0] = -0.01 is not a finite value in [0, 1]",
                rejection(new double[][] {{0, 1}, {-0.01, 1}, {0, 1}}));
        assertEquals("weight [0][0] = Infinity is not a finite value in [0, 1]",
                rejection(new double[][] {{Double.POSITIVE_INFINITY, 1}, {0, 1}, {0, 1}}));
    }

    @Test
    void emptyTokenListsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Alignment(List.of(), List.of("</s>"), new double[][] {{}}));
        assertEquals("an alignment needs at least one source and one target token, got 1 target x 0 source",
                e.getMessage());
    }

    @Test
    void roundingNoiseWithinToleranceIsClampedToTheUnitInterval() {
        Alignment a = new Alignment(List.of("x", "y"), List.of("</s>"), new double[][] {{1 + 5e-7, -5e-7}});
        assertEquals(1.0, a.weight(0, 0));
        assertEquals(0.0, a.weight(0, 1));
    }

    @Test
    void weightReadsRowTargetColumnSource() {
        Alignment a = sample();
        assertEquals(0.1, a.weight(0, 1));
        assertEquals(0.3, a.weight(1, 0));
        assertEquals(3, a.rows());
        assertEquals(2, a.columns());
    }

    @Test
    void mostAttendedSourceIsTheRowArgmaxAndTheFirstOnTies() {
        Alignment a = sample();
        assertEquals(0, a.mostAttendedSource(0));
        assertEquals(1, a.mostAttendedSource(1));
        assertEquals(0, a.mostAttendedSource(2));
        Alignment tie = new Alignment(List.of("a", "b", "c"), List.of("</s>"), new double[][] {{0.2, 0.4, 0.4}});
        assertEquals(1, tie.mostAttendedSource(0));
    }

    @Test
    void theMatrixIsCopiedInAndOut() {
        double[][] weights = {{0.9, 0.1}, {0.3, 0.7}, {0.5, 0.5}};
        Alignment a = new Alignment(SOURCE, TARGET, weights);
        weights[0][0] = 0.0;
        a.weights()[1][1] = 0.0;
        assertEquals(0.9, a.weight(0, 0));
        assertEquals(0.7, a.weight(1, 1));
    }

    @Test
    void equalityComparesWeightValues() {
        assertEquals(sample(), sample());
        assertEquals(sample().hashCode(), sample().hashCode());
        Alignment other = new Alignment(SOURCE, TARGET, new double[][] {{0.9, 0.1}, {0.3, 0.7}, {0.4, 0.6}});
        assertNotEquals(sample(), other);
    }
}
