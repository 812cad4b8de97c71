package org.attentionzoo.decode;

import org.attentionzoo.decode.step.TopTokens;
import org.attentionzoo.decode.step.StepModel;
import org.attentionzoo.data.Vocabulary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Beam search with GNMT length normalisation (Wu et al. 2016), batched over sentences.
 *
 * <p><b>Search.</b> Step t extends every open hypothesis (BOS y_1 … y_{t-1}) of a sentence by every
 * token and keeps the K expansions with the highest log P(y_1 … y_t | x) (ties: earlier hypothesis,
 * then lower token id). A kept expansion that ends in EOS is finished, and so is every kept expansion
 * at the sentence's length limit L = a·|x| + b ({@link LengthLimit}); the others are the open beam of
 * step t + 1. All open hypotheses of all unfinished sentences go to the {@link StepModel} in one call
 * per step. With K = 1 this is exactly greedy decoding.
 *
 * <p><b>Score.</b> A finished hypothesis Y is ranked by s(Y) = log P(Y | x) / lp(|Y|) with
 * lp(n) = (5 + n)^α / (5 + 1)^α. Its length |Y| is the number of decoding steps that made it: the
 * tokens plus its EOS (a hypothesis cut at the limit has no EOS and |Y| = L). α = 0 gives lp = 1, plain
 * log-probability; larger α favours longer outputs. The default α = {@value #DEFAULT_ALPHA}: on the gettext dev sets
 * the GNMT paper's 0.6 gave outputs shorter than the references (docs/performance.md).
 *
 * <p><b>Stopping.</b> A sentence's search ends at its length limit, when its beam is empty, or as soon
 * as its N-best list is full and no open hypothesis h (with t tokens, none EOS) can beat the worst
 * entry. That test is sound for α ≥ 0: every finished descendant Y of h has t + 1 ≤ |Y| ≤ L and
 * log P(Y) ≤ log P(h) ≤ 0 (log-probabilities are ≤ 0), so
 * <pre>
 *   s(Y) = log P(Y) / lp(|Y|) ≤ log P(h) / lp(|Y|) ≤ log P(h) / lp(L),
 * </pre>
 * the first step because lp &gt; 0, the second because lp is non-decreasing for α ≥ 0 and log P(h) ≤ 0
 * (a non-positive number divided by a larger positive one grows towards 0). Every later hypothesis of
 * the search descends from a current open one, so none can beat a bound that is already no better than
 * the worst of the N best. (Normalising h at its own length t, as some toolkits do, is not a bound: a
 * longer completion divides by a larger lp.)
 *
 * <p><b>N-best.</b> Up to N ≤ K finished hypotheses per sentence, best score first, ties in the order
 * they finished. They are distinct: they are distinct nodes of the prefix tree, and a hypothesis cut at
 * the limit has more tokens than any that ended in EOS. The beam never depends on N, and stopping later
 * only adds hypotheses no better than the best so far, so the best hypothesis does not change with N.
 */
public final class BeamSearch {

    /** The default α of the length penalty, a common GNMT-style choice; tune it on held-out data. */
    public static final double DEFAULT_ALPHA = 1.0;

    private final StepModel model;
    private final int beamSize;
    private final int nBest;
    private final double alpha;
    private final LengthLimit limit;

    /**
     * @param beamSize K, at least 1
     * @param nBest    N, the hypotheses returned per sentence, 1 ≤ N ≤ K
     * @param alpha    α of the length penalty, finite and ≥ 0 (0: no normalisation)
     */
    public BeamSearch(StepModel model, int beamSize, int nBest, double alpha, LengthLimit limit) {
        if (beamSize < 1 || nBest < 1 || nBest > beamSize) {
            throw new IllegalArgumentException("need 1 <= n-best <= beam size; got n-best " + nBest
                    + ", beam size " + beamSize);
        }
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("the length-penalty alpha must be finite and >= 0, got " + alpha);
        }
        this.model = model;
        this.beamSize = beamSize;
        this.nBest = nBest;
        this.alpha = alpha;
        this.limit = limit;
    }

    /** GNMT's length penalty lp(n) = ((5 + n) / 6)^α. */
    public static double lengthPenalty(int length, double alpha) {
        return Math.pow((5.0 + length) / 6.0, alpha);
    }

    /**
     * Searches a batch of source id sequences (none empty).
     *
     * @return per sentence at most N hypotheses, best first
     */
    public List<List<Hypothesis>> search(int[][] sources) {
        Sentence[] sentences = new Sentence[sources.length];
        for (int i = 0; i < sources.length; i++) {
            sentences[i] = new Sentence(limit.maxTargetLength(sources[i].length));
        }
        try (StepModel.Session session = model.start(sources)) {
            for (int t = 1; ; t++) {
                List<Integer> rowsOf = new ArrayList<>();
                List<int[]> prefixes = new ArrayList<>();
                for (int i = 0; i < sentences.length; i++) {
                    for (Open h : sentences[i].beam) {
                        rowsOf.add(i);
                        prefixes.add(h.prefix);
                    }
                }
                if (rowsOf.isEmpty()) {
                    break;
                }
                TopTokens[] top = session.topTokens(rowsOf.stream().mapToInt(Integer::intValue).toArray(),
                        prefixes.toArray(new int[0][]), beamSize);
                float[][] attention = session.lastAttention();
                int row = 0;
                for (Sentence s : sentences) {
                    int m = s.beam.size();
                    if (m > 0) {
                        s.step(t, Arrays.copyOfRange(top, row, row + m),
                                attention == null ? null : Arrays.copyOfRange(attention, row, row + m));
                        row += m;
                    }
                }
            }
        }
        List<List<Hypothesis>> out = new ArrayList<>(sentences.length);
        for (Sentence s : sentences) {
            out.add(List.copyOf(s.finished));
        }
        return out;
    }

    /** An open hypothesis: BOS and its tokens so far, none of them EOS; the attention rows that chose them, or null. */
    private record Open(int[] prefix, double logProb, Trace trace) {
    }

    /** The attention rows of a hypothesis's steps, last first, shared with the hypotheses it shares a prefix with. */
    private record Trace(float[] row, Trace before) {

        /** This trace followed by {@code row}, or null when either is missing. */
        static Trace extend(Trace trace, float[] row, int t) {
            return row == null || (trace == null && t > 1) ? null : new Trace(row, trace);
        }

        /** The rows first to last, {@code steps} of them. */
        static float[][] rows(Trace trace, int steps) {
            if (trace == null) {
                return null;
            }
            float[][] rows = new float[steps][];
            for (Trace at = trace; at != null; at = at.before) {
                rows[--steps] = at.row;
            }
            return rows;
        }
    }

    /** An expansion of open hypothesis {@code parent} by {@code token}. */
    private record Candidate(int parent, int token, double logProb) {
        static final Comparator<Candidate> ORDER = Comparator.comparingDouble(Candidate::logProb).reversed()
                .thenComparingInt(Candidate::parent).thenComparingInt(Candidate::token);
    }

    /** The search state of one sentence. */
    private final class Sentence {
        final int maxLength;
        List<Open> beam = List.of(new Open(new int[]{Vocabulary.BOS_ID}, 0.0, null));
        final List<Hypothesis> finished = new ArrayList<>();     // best first, at most N

        Sentence(int maxLength) {
            this.maxLength = maxLength;
        }

        /**
         * Step t: expand the beam by each open hypothesis's K most probable next tokens, one row per hypothesis;
         * {@code attention}, when not null, the attention row each hypothesis's step used.
         */
        void step(int t, TopTokens[] rows, float[][] attention) {
            List<Candidate> kept = topK(rows);
            List<Open> next = new ArrayList<>(beamSize);
            for (Candidate c : kept) {
                Open parent = beam.get(c.parent);
                int[] prefix = parent.prefix;
                Trace trace = Trace.extend(parent.trace, attention == null ? null : attention[c.parent], t);
                if (c.token == Vocabulary.EOS_ID) {
                    finish(Arrays.copyOfRange(prefix, 1, prefix.length), c.logProb, t, Trace.rows(trace, t));
                } else if (t == maxLength) {
                    int[] tokens = Arrays.copyOfRange(prefix, 1, prefix.length + 1);
                    tokens[tokens.length - 1] = c.token;
                    finish(tokens, c.logProb, t, Trace.rows(trace, t));
                } else {
                    int[] extended = Arrays.copyOf(prefix, prefix.length + 1);
                    extended[prefix.length] = c.token;
                    next.add(new Open(extended, c.logProb, trace));
                }
            }
            beam = t == maxLength || cannotImprove(next) ? List.of() : next;
        }

        /** The K best expansions; a row's K best tokens suffice, since the K best overall are among them. */
        private List<Candidate> topK(TopTokens[] rows) {
            List<Candidate> candidates = new ArrayList<>();
            for (int r = 0; r < rows.length; r++) {
                double base = beam.get(r).logProb;
                for (int j = 0; j < rows[r].size(); j++) {
                    candidates.add(new Candidate(r, rows[r].tokens()[j], base + rows[r].logProbs()[j]));
                }
            }
            candidates.sort(Candidate.ORDER);
            return candidates.subList(0, Math.min(beamSize, candidates.size()));
        }

        /** Adds a finished hypothesis of |Y| = t steps to the N-best list, after any of equal score. */
        private void finish(int[] tokens, double logProb, int t, float[][] attention) {
            Hypothesis h = new Hypothesis(tokens, logProb, logProb / lengthPenalty(t, alpha), attention);
            int at = finished.size();
            while (at > 0 && finished.get(at - 1).score() < h.score()) {
                at--;
            }
            if (at < nBest) {
                finished.add(at, h);
                if (finished.size() > nBest) {
                    finished.remove(nBest);
                }
            }
        }

        /** Whether the N-best list is full and no open hypothesis can beat its worst entry (see class doc). */
        private boolean cannotImprove(List<Open> open) {
            if (finished.size() < nBest) {
                return false;
            }
            double worst = finished.get(nBest - 1).score();
            double lpMax = lengthPenalty(maxLength, alpha);
            for (Open h : open) {
                if (h.logProb / lpMax > worst) {
                    return false;
                }
            }
            return true;
        }
    }
}
