package org.attentionzoo.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BleuTest {

    private static final double EPS = 1e-9;

    @Test
    void handComputedTwoSentenceCorpus() {
        // S1 hyp "the cat sat on the mat" / ref "the cat sat on a mat" (6 / 6 tokens)
        //   1-grams: the(2, clipped to 1) cat sat on mat -> 5 of 6
        //   2-grams: the cat, cat sat, sat on | on the, the mat -> 3 of 5
        //   3-grams: the cat sat, cat sat on | sat on the, on the mat -> 2 of 4
        //   4-grams: the cat sat on | cat sat on the, sat on the mat -> 1 of 3
        // S2 hyp "a dog ran" / ref "the dog ran away" (3 / 4 tokens)
        //   1-grams: dog ran | a -> 2 of 3;  2-grams: dog ran | a dog -> 1 of 2;  3-grams: 0 of 1;  4-grams: 0 of 0
        // Corpus: p = 7/9, 4/7, 2/5, 1/3; c = 9, r = 10, BP = exp(1 - 10/9) = exp(-1/9)
        // BLEU = 100 exp(-1/9) (7/9 · 4/7 · 2/5 · 1/3)^(1/4) = 100 exp(-1/9) (56/945)^(1/4) = 44.151...
        BleuScore s = Bleu.corpus(List.of("the cat sat on the mat", "a dog ran"),
                List.of("the cat sat on a mat", "the dog ran away"));
        assertArrayEquals(new long[] {7, 4, 2, 1}, s.matches());
        assertArrayEquals(new long[] {9, 7, 5, 3}, s.totals());
        assertArrayEquals(new double[] {700.0 / 9, 400.0 / 7, 40.0, 100.0 / 3}, s.precisions(), EPS);
        assertEquals(9, s.hypLen());
        assertEquals(10, s.refLen());
        assertEquals(Math.exp(-1.0 / 9), s.bp(), EPS);
        assertEquals(0.9, s.ratio(), EPS);
        assertEquals(100 * Math.exp(-1.0 / 9) * Math.pow(56.0 / 945, 0.25), s.score(), EPS);
        assertEquals("44.15", s.scoreText());
        assertEquals("BLEU = 44.15 77.8/57.1/40.0/33.3 (BP = 0.895 ratio = 0.900 hyp_len = 9 ref_len = 10)",
                s.format());
    }

    @Test
    void perfectMatchIs100() {
        List<String> lines = List.of("The quick brown fox jumps over the lazy dog.", "Hello, world!");
        BleuScore s = Bleu.corpus(lines, lines);
        assertEquals(100.0, s.score(), EPS);
        assertEquals(1.0, s.bp());
        assertEquals("BLEU = 100.00 100.0/100.0/100.0/100.0 (BP = 1.000 ratio = 1.000 hyp_len = 14 ref_len = 14)",
                s.format());
    }

    @Test
    void noOverlapIsZeroWithZeroPrecisions() {
        BleuScore s = Bleu.corpus(List.of("q r s t u"), List.of("a b c d e"));
        assertEquals(0.0, s.score());
        assertArrayEquals(new double[4], s.precisions());
    }

    @Test
    void brevityPenaltyForShortHypotheses() {
        // All four precisions are 100; c = 4, r = 8: BP = exp(1 - 8/4) = e^-1, BLEU = 100/e = 36.79
        BleuScore s = Bleu.corpus(List.of("a b c d"), List.of("a b c d e f g h"));
        assertEquals(Math.exp(-1), s.bp(), EPS);
        assertEquals(100 * Math.exp(-1), s.score(), EPS);
        assertEquals("36.79", s.scoreText());
        assertEquals(0.5, s.ratio());
    }

    @Test
    void noBrevityPenaltyForLongHypotheses() {
        // 1-grams 4/5, 2-grams 3/4, 3-grams 2/3, 4-grams 1/2, c = 5 > r = 4: BP = 1
        BleuScore s = Bleu.corpus(List.of("a b c d x"), List.of("a b c d"));
        assertEquals(1.0, s.bp());
        assertEquals(100 * Math.pow(0.8 * 0.75 * (2.0 / 3) * 0.5, 0.25), s.score(), EPS);
    }

    @Test
    void expSmoothingHalvesEachZeroPrecision() {
        // hyp "a b c d" vs ref "a b x d": 1-grams 3/4, 2-grams 1/3, 3-grams 0/2, 4-grams 0/1
        // Zero orders get 100 / (2^k total): p3 = 100/(2·2) = 25, p4 = 100/(4·1) = 25
        // BLEU = (75 · 100/3 · 25 · 25)^(1/4) = 1562500^(1/4) = sqrt(1250) = 35.355...
        BleuScore s = Bleu.corpus(List.of("a b c d"), List.of("a b x d"));
        assertArrayEquals(new double[] {75, 100.0 / 3, 25, 25}, s.precisions(), EPS);
        assertEquals(Math.sqrt(1250), s.score(), EPS);
        assertEquals("35.36", s.scoreText());
    }

    @Test
    void hypothesesShorterThanFourTokensScoreZero() {
        // No 3-grams in the hypotheses at all: p3 and p4 are 0 (not smoothed), so BLEU is 0 as in sacreBLEU.
        BleuScore s = Bleu.corpus(List.of("a b", "c"), List.of("a b", "c"));
        assertArrayEquals(new double[] {100, 100, 0, 0}, s.precisions(), EPS);
        assertEquals(0.0, s.score());
    }

    @Test
    void emptyHypothesesHaveZeroBrevityPenalty() {
        BleuScore s = Bleu.corpus(List.of("", " "), List.of("a b c d", "e"));
        assertEquals(0.0, s.score());
        assertEquals(0.0, s.bp());
        assertEquals(0, s.hypLen());
        assertEquals(5, s.refLen());
    }

    @Test
    void tokenizationSeparatesPunctuationAndTrailingWhitespaceIsIgnored() {
        assertEquals(100.0, Bleu.corpus(List.of("Hello, world!  \t"), List.of("Hello , world !")).score(), EPS);
        // with no tokenization "world!" and "world" differ: 1-grams 1/2 and no 2-grams at all -> BLEU 0
        BleuScore none = Bleu.corpus(List.of("Hello, world!"), List.of("Hello, world"), new TokenizerNone());
        assertArrayEquals(new long[] {1, 0, 0, 0}, none.matches());
        assertEquals(0.0, none.score());
    }

    @Test
    void caseMatters() {
        assertEquals(0.0, Bleu.corpus(List.of("A B C D"), List.of("a b c d")).score());
    }

    @Test
    void signatureNamesTokenizerAndUs() {
        assertEquals("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:attention-zoo",
                Bleu.corpus(List.of("a"), List.of("a")).signature());
        assertEquals("nrefs:1|case:mixed|eff:no|tok:zh|smooth:exp|version:attention-zoo",
                Bleu.corpus(List.of("a"), List.of("a"), BleuTokenizer.named("zh")).signature());
    }

    @Test
    void rejectsMismatchedOrEmptyInput() {
        assertThrows(IllegalArgumentException.class, () -> Bleu.corpus(List.of("a"), List.of("a", "b")));
        assertThrows(IllegalArgumentException.class, () -> Bleu.corpus(List.of(), List.of()));
    }

    @Test
    void scoreArraysAreCopies() {
        BleuScore s = Bleu.corpus(List.of("a b c d"), List.of("a b c d"));
        s.precisions()[0] = -1;
        s.matches()[0] = -1;
        assertEquals(100.0, s.precisions()[0]);
        assertEquals(4, s.matches()[0]);
    }
}
