package org.attentionzoo.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus chrF2 (Popović 2015, "chrF: character n-gram F-score for automatic MT evaluation") with sacreBLEU 2.x's
 * defaults (Post 2018): character n-grams of orders 1..6, no word n-grams, β = 2, case kept, whitespace removed
 * before n-grams are taken, one reference per hypothesis. Scores agree with sacreBLEU 2.6.0 to 2 decimals (see
 * SacreBleuAgreementTest).
 *
 * <p>For each sentence the whitespace (Python's definition) is deleted and the character (code point) n-grams
 * counted. Per order n, statistics are summed over the corpus:
 * <pre>
 *   hyp_n   = Σ_sentences (n-grams in the hypothesis; 0 for a sentence whose reference has no n-gram of order n)
 *   ref_n   = Σ_sentences (n-grams in the reference)
 *   match_n = Σ_sentences Σ_g min(count_hyp(g), count_ref(g))
 * </pre>
 * then, over the effective orders E = {n : hyp_n &gt; 0 and ref_n &gt; 0},
 * <pre>
 *   P = (1/|E|) Σ_{n∈E} match_n / hyp_n        R = (1/|E|) Σ_{n∈E} match_n / ref_n
 *   chrF = 100 · (1 + β²) · P · R / (β² · P + R)      and 0 when E is empty or P + R = 0
 * </pre>
 * This is sacreBLEU's default "effective order" averaging ({@code eps_smoothing=False}, shown as {@code eff:yes}
 * in its signature), which averages precision and recall before taking the F-score. sacreBLEU's optional
 * {@code eps_smoothing=True} (the chrF++.py / Moses / NLTK variant that averages per-order F-scores with a 1e-16
 * floor) is not implemented here.
 */
public final class ChrF {

    /** Character n-gram order. */
    public static final int CHAR_ORDER = 6;

    /** Weight of recall relative to precision. */
    public static final int BETA = 2;

    private ChrF() {
    }

    /**
     * @param hypotheses one line per segment
     * @param references the reference for each hypothesis, same order
     * @throws IllegalArgumentException if the lists differ in length or are empty
     */
    public static ChrFScore corpus(List<String> hypotheses, List<String> references) {
        if (hypotheses.size() != references.size() || references.isEmpty()) {
            throw new IllegalArgumentException("need as many hypotheses as references (and at least one); got "
                    + hypotheses.size() + " and " + references.size());
        }
        long[] hypCount = new long[CHAR_ORDER];
        long[] refCount = new long[CHAR_ORDER];
        long[] matchCount = new long[CHAR_ORDER];
        for (int i = 0; i < references.size(); i++) {
            int[] hyp = PythonWhitespace.withoutSpaces(hypotheses.get(i));
            int[] ref = PythonWhitespace.withoutSpaces(references.get(i));
            for (int n = 1; n <= CHAR_ORDER; n++) {
                Map<String, Integer> refGrams = charNgramCounts(ref, n);
                long hypGrams = 0;
                for (Map.Entry<String, Integer> e : charNgramCounts(hyp, n).entrySet()) {
                    hypGrams += e.getValue();
                    matchCount[n - 1] += Math.min(e.getValue(), refGrams.getOrDefault(e.getKey(), 0));
                }
                if (!refGrams.isEmpty()) {
                    hypCount[n - 1] += hypGrams;
                }
                refCount[n - 1] += Math.max(0, ref.length - n + 1);
            }
        }
        return fromStatistics(hypCount, refCount, matchCount);
    }

    /** chrF from corpus statistics, following the formulas in the class comment. */
    static ChrFScore fromStatistics(long[] hypCount, long[] refCount, long[] matchCount) {
        double precision = 0.0;
        double recall = 0.0;
        int effective = 0;
        for (int n = 0; n < hypCount.length; n++) {
            if (hypCount[n] > 0 && refCount[n] > 0) {
                precision += (double) matchCount[n] / hypCount[n];
                recall += (double) matchCount[n] / refCount[n];
                effective++;
            }
        }
        if (effective == 0) {
            return new ChrFScore(0.0, 0.0, 0.0);
        }
        precision /= effective;
        recall /= effective;
        if (precision + recall == 0.0) {
            return new ChrFScore(0.0, precision, recall);
        }
        double factor = BETA * BETA;
        double f = (1 + factor) * precision * recall;
        f /= factor * precision + recall;
        return new ChrFScore(100 * f, precision, recall);
    }

    /** @return how often each n-gram of consecutive code points occurs */
    static Map<String, Integer> charNgramCounts(int[] codePoints, int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= codePoints.length; i++) {
            counts.merge(new String(codePoints, i, n), 1, Integer::sum);
        }
        return counts;
    }
}
