package org.attentionzoo.decode;

import org.attentionzoo.data.Vocabulary;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Beam search against hand-made {@link TableStepModel}s: an exhaustive search over every output up to
 * the length limit, a plain reference beam without early stopping, and small written tables whose
 * answers and call counts are worked out by hand.
 */
class BeamSearchTest {

    private static final int EOS = Vocabulary.EOS_ID;
    private static final int[][] SOURCES = {{4}, {5, 4, 4}, {4, 5}};
    private static final LengthLimit LIMIT = new LengthLimit(1.0, 2);          // L = 3, 5, 4
    private static final double[] ALPHAS = {0.0, 0.6, 1.0, 2.0};

    /** GNMT's lp(n) = (5 + n)^α / 6^α, written the other way round from the implementation. */
    private static double lp(int n, double alpha) {
        return Math.pow(5 + n, alpha) / Math.pow(6, alpha);
    }

    /** A finished output of the independent searches: tokens, log P, |Y| (EOS counted). */
    private record Out(int[] tokens, double logProb, int length) {
        double score(double alpha) {
            return logProb / lp(length, alpha);
        }
    }

    /**
     * Every output up to the limit L: every token sequence then EOS within L steps, and every L tokens
     * without EOS; prefixes of probability 0 are not extended.
     */
    private static List<Out> all(TableStepModel m, int[] source, int maxLength) {
        List<Out> out = new ArrayList<>();
        expand(m, source, new int[]{Vocabulary.BOS_ID}, 0.0, maxLength, out);
        return out;
    }

    private static void expand(TableStepModel m, int[] source, int[] prefix, double logProb, int maxLength, List<Out> out) {
        int t = prefix.length;
        double[] lp = m.logProbs(source, prefix);
        for (int y = 0; y < lp.length; y++) {
            double s = logProb + lp[y];
            int[] extended = Arrays.copyOf(prefix, t + 1);
            extended[t] = y;
            if (y == EOS) {
                out.add(new Out(Arrays.copyOfRange(prefix, 1, t), s, t));
            } else if (t == maxLength) {
                out.add(new Out(Arrays.copyOfRange(extended, 1, t + 1), s, t));
            } else if (s > Double.NEGATIVE_INFINITY) {                     // impossible prefixes cannot win
                expand(m, source, extended, s, maxLength, out);
            }
        }
    }

    /** The n best of {@code outs} by score, ties in list order. */
    private static List<Out> best(List<Out> outs, double alpha, int n) {
        List<Out> sorted = new ArrayList<>(outs);
        sorted.sort(Comparator.comparingDouble((Out o) -> o.score(alpha)).reversed());
        return sorted.subList(0, Math.min(n, sorted.size()));
    }

    /** Textbook beam search that never stops early: the K best expansions per step, EOS or the limit finish one. */
    private static List<Out> referenceBeam(TableStepModel m, int[] source, int maxLength, int k, double alpha, int n) {
        record Open(int[] prefix, double logProb) {
        }
        record Cand(int parent, int token, double logProb) {
        }
        List<Open> beam = List.of(new Open(new int[]{Vocabulary.BOS_ID}, 0.0));
        List<Out> finished = new ArrayList<>();
        for (int t = 1; t <= maxLength && !beam.isEmpty(); t++) {
            List<Cand> cands = new ArrayList<>();
            for (int r = 0; r < beam.size(); r++) {
                double[] lp = m.logProbs(source, beam.get(r).prefix);
                for (int y = 0; y < lp.length; y++) {
                    cands.add(new Cand(r, y, beam.get(r).logProb + lp[y]));
                }
            }
            cands.sort(Comparator.comparingDouble(Cand::logProb).reversed());  // stable: parent, then token
            List<Open> next = new ArrayList<>();
            for (Cand c : cands.subList(0, Math.min(k, cands.size()))) {
                int[] prefix = beam.get(c.parent).prefix;
                int[] extended = Arrays.copyOf(prefix, prefix.length + 1);
                extended[prefix.length] = c.token;
                if (c.token == EOS) {
                    finished.add(new Out(Arrays.copyOfRange(prefix, 1, prefix.length), c.logProb, t));
                } else if (t == maxLength) {
                    finished.add(new Out(Arrays.copyOfRange(extended, 1, extended.length), c.logProb, t));
                } else {
                    next.add(new Open(extended, c.logProb));
                }
            }
            beam = next;
        }
        return best(finished, alpha, n);
    }

    private static void assertSame(List<Out> expected, List<Hypothesis> actual, double alpha, String what) {
        assertEquals(expected.size(), actual.size(), what + ": size");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).tokens, actual.get(i).tokens(), what + ": tokens of " + i);
            assertEquals(expected.get(i).logProb, actual.get(i).logProb(), 1e-12, what + ": log P of " + i);
            assertEquals(expected.get(i).score(alpha), actual.get(i).score(), 1e-12, what + ": score of " + i);
        }
    }

    @Test
    void aVeryWideBeamIsExhaustiveSearch() {
        for (long seed = 1; seed <= 4; seed++) {
            TableStepModel m = TableStepModel.random(seed);
            for (double alpha : ALPHAS) {
                for (int n : new int[]{1, 4}) {
                    List<List<Hypothesis>> beam = new BeamSearch(m, 10_000, n, alpha, LIMIT).search(SOURCES);
                    for (int s = 0; s < SOURCES.length; s++) {
                        List<Out> exhaustive = best(all(m, SOURCES[s], LIMIT.maxTargetLength(SOURCES[s].length)), alpha, n);
                        assertSame(exhaustive, beam.get(s), alpha, "seed " + seed + " alpha " + alpha + " n " + n + " sentence " + s);
                    }
                }
            }
        }
    }

    @Test
    void narrowBeamsMatchAReferenceBeamThatNeverStopsEarlyAndScoreTheirOutputsTruly() {
        for (long seed = 10; seed <= 13; seed++) {
            TableStepModel m = TableStepModel.random(seed);
            for (double alpha : ALPHAS) {
                for (int k : new int[]{1, 2, 3, 5}) {
                    for (int n = 1; n <= k; n++) {
                        List<List<Hypothesis>> beam = new BeamSearch(m, k, n, alpha, LIMIT).search(SOURCES);
                        for (int s = 0; s < SOURCES.length; s++) {
                            int maxLength = LIMIT.maxTargetLength(SOURCES[s].length);
                            String what = "seed " + seed + " alpha " + alpha + " k " + k + " n " + n + " sentence " + s;
                            assertSame(referenceBeam(m, SOURCES[s], maxLength, k, alpha, n), beam.get(s), alpha, what);
                            List<Out> all = all(m, SOURCES[s], maxLength);
                            for (Hypothesis h : beam.get(s)) {
                                Out truth = all.stream().filter(o -> Arrays.equals(o.tokens, h.tokens())).findFirst().orElseThrow();
                                assertEquals(truth.score(alpha), h.score(), 1e-12, what);
                            }
                            assertTrue(beam.get(s).get(0).score() <= best(all, alpha, 1).get(0).score(alpha) + 1e-12, what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void nBestListsHaveNoDuplicatesAndGrowWithoutChangingTheirHead() {
        for (long seed = 20; seed <= 25; seed++) {
            TableStepModel m = TableStepModel.random(seed);
            for (double alpha : new double[]{0.0, 0.6, 1.0}) {
                List<List<Hypothesis>> previous = null;
                for (int n = 1; n <= 5; n++) {
                    List<List<Hypothesis>> beam = new BeamSearch(m, 5, n, alpha, LIMIT).search(SOURCES);
                    for (int s = 0; s < SOURCES.length; s++) {
                        List<Hypothesis> list = beam.get(s);
                        assertEquals(n, list.size(), "5 finished outputs exist at the limit");
                        Set<List<Integer>> distinct = new HashSet<>();
                        for (Hypothesis h : list) {
                            distinct.add(Arrays.stream(h.tokens()).boxed().toList());
                        }
                        assertEquals(n, distinct.size(), "duplicates in " + list);
                        for (int i = 1; i < n; i++) {
                            assertTrue(list.get(i - 1).score() >= list.get(i).score(), "ordered by score");
                        }
                        if (previous != null) {
                            assertEquals(previous.get(s), list.subList(0, n - 1), "the (n-1)-best list is a prefix of the n-best");
                        }
                    }
                    previous = beam;
                }
            }
        }
    }

    @Test
    void beamOfOneIsGreedyDecoding() {
        for (long seed = 30; seed <= 35; seed++) {
            TableStepModel m = TableStepModel.random(seed);
            int[][] greedy = new GreedyDecoder(m, LIMIT).decode(SOURCES);
            for (double alpha : new double[]{0.0, 1.0}) {
                List<List<Hypothesis>> beam = new BeamSearch(m, 1, 1, alpha, LIMIT).search(SOURCES);
                for (int s = 0; s < SOURCES.length; s++) {
                    assertArrayEquals(greedy[s], beam.get(s).get(0).tokens(), "seed " + seed + " sentence " + s);
                }
            }
        }
    }

    /** BOS → EOS 0.45, word 4: 0.40, word 5: 0.15; after 4: EOS 0.999, 4: 0.001; anything else: EOS. */
    private static TableStepModel earlyEos() {
        return TableStepModel.table(Map.of(
                "", new double[]{0, 0, 0.45, 0, 0.40, 0.15},
                "4", new double[]{0, 0, 0.999, 0, 0.001, 0}), new double[]{0, 0, 1, 0, 0, 0});
    }

    @Test
    void withoutLengthNormalisationTheSearchStopsOnceTheFinishedBestCannotBeBeaten() {
        TableStepModel m = earlyEos();
        LengthLimit ten = new LengthLimit(0, 10);
        List<Hypothesis> out = new BeamSearch(m, 2, 1, 0.0, ten).search(new int[][]{{4}}).get(0);
        // step 1 finishes EOS at log 0.45; the open "4" at log 0.40 can only lose probability
        assertEquals(1, m.calls);
        assertArrayEquals(new int[0], out.get(0).tokens());
        assertEquals(Math.log(0.45), out.get(0).score(), 1e-15);
    }

    @Test
    void withLengthNormalisationTheBoundIsTheScoreAtTheLengthLimit() {
        TableStepModel m = earlyEos();
        LengthLimit ten = new LengthLimit(0, 10);
        List<Hypothesis> out = new BeamSearch(m, 2, 1, 1.0, ten).search(new int[][]{{4}}).get(0);
        // step 1: EOS scores log 0.45 / lp(1) = -0.799; "4" scores log 0.40 / lp(1) = -0.916 at its own length,
        // but could reach log 0.40 / lp(10) = -0.367, so the search goes on; "4 EOS" then scores
        // (log 0.40 + log 0.999) / lp(2) = -0.786 and wins. Step 2 leaves "4 4" at log 0.0004, bound -3.13: stop.
        assertArrayEquals(new int[]{4}, out.get(0).tokens());
        assertEquals(Math.log(0.40) + Math.log(0.999), out.get(0).logProb(), 1e-15);
        assertEquals((Math.log(0.40) + Math.log(0.999)) / (7.0 / 6.0), out.get(0).score(), 1e-15);
        assertEquals(2, m.calls);
        List<Out> exhaustive = best(all(m, new int[]{4}, 10), 1.0, 1);
        assertArrayEquals(exhaustive.get(0).tokens, out.get(0).tokens());
    }

    @Test
    void outputsRespectEachSentencesLengthLimitWithOneModelCallPerStep() {
        double[] noEos = {0.1, 0.1, 1e-9, 0.1, 0.4, 0.3 - 1e-9};
        TableStepModel m = new TableStepModel((source, prefix) -> noEos);
        LengthLimit limit = new LengthLimit(0.5, 1);                          // L = 1, 2, 3, 4 for lengths 1, 3, 5, 7
        int[][] sources = {{4, 4, 4}, {4}, {4, 4, 4, 4, 4, 4, 4}, {4, 4, 4, 4, 4}};
        List<List<Hypothesis>> out = new BeamSearch(m, 3, 3, 0.6, limit).search(sources);
        for (int s = 0; s < sources.length; s++) {
            int maxLength = limit.maxTargetLength(sources[s].length);
            for (Hypothesis h : out.get(s)) {
                assertTrue(h.tokens().length <= maxLength, "sentence " + s + ": " + h);
            }
            int[] expected = new int[maxLength];
            Arrays.fill(expected, 4);
            assertArrayEquals(expected, out.get(s).get(0).tokens(), "the most probable token up to the limit");
            assertEquals(maxLength * Math.log(0.4) / lp(maxLength, 0.6), out.get(s).get(0).score(), 1e-12);
        }
        assertEquals(4, m.calls, "one call per step up to the longest limit");
        assertEquals(4, m.longestPrefix, "BOS and three tokens");
        assertEquals(4 + 3 * 3 + 2 * 3 + 3, m.rows, "all live hypotheses of all open sentences, 3 after step 1");
    }

    @Test
    void lengthPenaltyIsGnmts() {
        assertEquals(1.0, BeamSearch.lengthPenalty(1, 0.6), 1e-15);
        assertEquals(Math.sqrt(2), BeamSearch.lengthPenalty(7, 0.5), 1e-15);
        assertEquals(1.0, BeamSearch.lengthPenalty(40, 0.0), 0.0);
        assertEquals(3.0, BeamSearch.lengthPenalty(13, 1.0), 1e-15);
    }

    @Test
    void rejectsBadSettings() {
        TableStepModel m = TableStepModel.random(1);
        assertThrows(IllegalArgumentException.class, () -> new BeamSearch(m, 2, 3, 0.6, LIMIT));
        assertThrows(IllegalArgumentException.class, () -> new BeamSearch(m, 0, 1, 0.6, LIMIT));
        assertThrows(IllegalArgumentException.class, () -> new BeamSearch(m, 2, 1, -0.1, LIMIT));
        assertThrows(IllegalArgumentException.class, () -> new BeamSearch(m, 2, 1, Double.NaN, LIMIT));
    }
}
