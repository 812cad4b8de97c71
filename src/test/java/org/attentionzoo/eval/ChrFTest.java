package org.attentionzoo.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChrFTest {

    private static final double EPS = 1e-9;

    @Test
    void handComputedSentence() {
        // hyp "ab", ref "abc". Order 1: hyp {a, b} = 2, ref {a, b, c} = 3, match 2. Order 2: hyp {ab} = 1,
        // ref {ab, bc} = 2, match 1. Order 3: hyp has none (not effective); orders 4-6: neither side has any.
        // P = (2/2 + 1/1) / 2 = 1, R = (2/3 + 1/2) / 2 = 7/12
        // chrF2 = 100 · 5 · P · R / (4P + R) = 100 · (35/12) / (55/12) = 100 · 7/11 = 63.6363...
        ChrFScore s = ChrF.corpus(List.of("ab"), List.of("abc"));
        assertEquals(1.0, s.precision(), EPS);
        assertEquals(7.0 / 12, s.recall(), EPS);
        assertEquals(700.0 / 11, s.score(), EPS);
        assertEquals("chrF2 = 63.64", s.format());
    }

    @Test
    void statisticsAreSummedOverTheCorpusBeforeTheFScore() {
        // S1 hyp "abc" / ref "ab", S2 hyp "xyz" / ref "xyz".
        // Order 1: hyp 3 + 3, ref 2 + 3, match 2 + 3.  Order 2: hyp 2 + 2, ref 1 + 2, match 1 + 2.
        // Order 3: S1's reference has no 3-gram, so S1's hypothesis 3-gram is not counted (sacreBLEU's rule):
        //   hyp 0 + 1, ref 0 + 1, match 1.
        // P = (5/6 + 3/4 + 1) / 3 = 31/36, R = (1 + 1 + 1) / 3 = 1
        // chrF2 = 100 · 5 · (31/36) / (4 · 31/36 + 1) = 100 · 155/160 = 96.875
        // (Averaging per-sentence scores instead would give S1 = 87.5 and S2 = 100.)
        ChrFScore s = ChrF.corpus(List.of("abc", "xyz"), List.of("ab", "xyz"));
        assertEquals(31.0 / 36, s.precision(), EPS);
        assertEquals(1.0, s.recall(), EPS);
        assertEquals(96.875, s.score(), EPS);
    }

    @Test
    void perfectMatchIs100AndNoOverlapIs0() {
        List<String> lines = List.of("Le chat est sur le tapis.", "Bonjour !");
        assertEquals(100.0, ChrF.corpus(lines, lines).score(), EPS);
        assertEquals(0.0, ChrF.corpus(List.of("xyz"), List.of("abc")).score());
        assertEquals(0.0, ChrF.corpus(List.of(""), List.of("abc")).score());
    }

    @Test
    void whitespaceIsIgnoredButCaseIsNot() {
        assertEquals(100.0, ChrF.corpus(List.of("a b\u00a0c\u3000d"), List.of("abcd")).score(), EPS);
        assertEquals(0.0, ChrF.corpus(List.of("ABC"), List.of("abc")).score());
    }

    @Test
    void charactersAreCodePointsNotUtf16Units() {
        // hyp "😀a" / ref "😀b": order 1: 1 of 2 both ways; order 2: 0 of 1. P = R = (1/2 + 0) / 2 = 1/4
        // chrF2 = 100 · 5 · (1/16) / (5/4) = 25 (counting UTF-16 units would give 3 unigrams per side)
        assertEquals(25.0, ChrF.corpus(List.of("😀a"), List.of("😀b")).score(), EPS);
    }

    @Test
    void signature() {
        ChrFScore s = ChrF.corpus(List.of("a"), List.of("a"));
        assertEquals("nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:attention-zoo", s.signature());
        assertEquals("chrF2 = 100.00", s.toString());
    }

    @Test
    void rejectsMismatchedOrEmptyInput() {
        assertThrows(IllegalArgumentException.class, () -> ChrF.corpus(List.of("a", "b"), List.of("a")));
        assertThrows(IllegalArgumentException.class, () -> ChrF.corpus(List.of(), List.of()));
    }
}
