package org.attentionzoo.decode;

import org.attentionzoo.viz.Alignment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UnkReplacementTest {

    private static final List<String> SOURCE = List.of("Zorglub", "met", "Xanthe", "today");
    private static final List<String> OUTPUT = List.of("<unk>", "a", "rencontré", "<unk>", "<unk>");

    /** Rows: the five outputs, then EOS. */
    private static final Alignment ALIGNMENT = new Alignment(SOURCE,
            List.of("<unk>", "a", "rencontré", "<unk>", "<unk>", "</s>"), new double[][]{
            {0.70, 0.10, 0.10, 0.10},
            {0.05, 0.90, 0.05, 0.00},     // not <unk>: kept even though it looks at "met"
            {0.10, 0.80, 0.10, 0.00},
            {0.20, 0.10, 0.60, 0.10},
            {0.10, 0.40, 0.10, 0.40},     // tie between "met" and "today": the first
            {0.00, 0.00, 0.00, 1.00}});

    @Test
    void eachUnkBecomesItsMostAttendedSourceToken() {
        assertEquals(List.of("Zorglub", "a", "rencontré", "Xanthe", "met"),
                UnkReplacement.apply(OUTPUT, SOURCE, ALIGNMENT));
    }

    @Test
    void outputsWithoutUnkAreUnchanged() {
        List<String> plain = List.of("a", "rencontré");
        assertEquals(plain, UnkReplacement.apply(plain, SOURCE, ALIGNMENT));
    }

    @Test
    void rejectsAnAlignmentOfAnotherShape() {
        assertThrows(IllegalArgumentException.class,
                () -> UnkReplacement.apply(OUTPUT, SOURCE.subList(0, 3), ALIGNMENT));
        assertThrows(IllegalArgumentException.class, () -> UnkReplacement.apply(
                List.of("<unk>", "a", "b", "c", "d", "e", "f"), SOURCE, ALIGNMENT));
    }
}
