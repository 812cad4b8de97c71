package org.attentionzoo.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus BLEU (Papineni et al. 2002, "BLEU: a Method for Automatic Evaluation of Machine Translation") with
 * sacreBLEU 2.x's defaults (Post 2018): one reference per hypothesis, case kept, n-grams up to 4, the
 * tokenizer of choice (13a by default), "exp" smoothing, no effective order. Scores agree with sacreBLEU 2.6.0 to
 * the printed 2 decimals (see SacreBleuAgreementTest).
 *
 * <p>Each line is stripped of trailing whitespace, tokenized and split on whitespace. Over the corpus, for each
 * order n = 1..4:
 * <pre>
 *   total_n   = Σ_sentences (number of n-grams in the hypothesis)
 *   correct_n = Σ_sentences Σ_g min(count_hyp(g), count_ref(g))          (clipped matches)
 *   p_n       = 100 · correct_n / total_n                                  if correct_n > 0
 *             = 100 / (2^k · total_n)   for the k-th order (k = 1, 2, ...) with correct_n = 0 ("exp" smoothing,
 *                                        NIST mteval-v13a's; Chen and Cherry 2014, method 3)
 *   BP        = 1 if c ≥ r, else exp(1 − r / c), and 0 if c = 0          (c, r: hypothesis, reference tokens)
 *   BLEU      = BP · exp( (1/4) Σ_{n=1..4} log p_n )
 * </pre>
 * As in sacreBLEU: if no n-gram of any order matches, BLEU and all p_n are 0; once some total_n is 0 (every
 * hypothesis shorter than n tokens), p_n and the higher orders are 0 and count with log 0 taken as −9999999999,
 * so BLEU is 0.
 */
public final class Bleu {

    /** The "version" field of our signatures: these numbers come from attention-zoo's code, not from sacreBLEU. */
    public static final String VERSION = "attention-zoo";

    /** Maximum n-gram order. */
    public static final int MAX_ORDER = 4;

    /** sacreBLEU's floor for log 0. */
    private static final double LOG_ZERO = -9999999999.0;

    private Bleu() {
    }

    /** Corpus BLEU with the 13a tokenizer; see {@link #corpus(List, List, BleuTokenizer)}. */
    public static BleuScore corpus(List<String> hypotheses, List<String> references) {
        return corpus(hypotheses, references, new Tokenizer13a());
    }

    /**
     * @param hypotheses one detokenized line per segment
     * @param references the reference for each hypothesis, same order
     * @throws IllegalArgumentException if the lists differ in length or are empty
     */
    public static BleuScore corpus(List<String> hypotheses, List<String> references, BleuTokenizer tokenizer) {
        if (hypotheses.size() != references.size() || references.isEmpty()) {
            throw new IllegalArgumentException("need as many hypotheses as references (and at least one); got "
                    + hypotheses.size() + " and " + references.size());
        }
        long[] correct = new long[MAX_ORDER];
        long[] total = new long[MAX_ORDER];
        long hypLen = 0;
        long refLen = 0;
        for (int i = 0; i < references.size(); i++) {
            List<String> hyp = PythonWhitespace.split(tokenizer.tokenize(PythonWhitespace.rstrip(hypotheses.get(i))));
            List<String> ref = PythonWhitespace.split(tokenizer.tokenize(PythonWhitespace.rstrip(references.get(i))));
            hypLen += hyp.size();
            refLen += ref.size();
            for (int n = 1; n <= MAX_ORDER; n++) {
                Map<String, Integer> refCounts = ngramCounts(ref, n);
                for (Map.Entry<String, Integer> e : ngramCounts(hyp, n).entrySet()) {
                    total[n - 1] += e.getValue();
                    correct[n - 1] += Math.min(e.getValue(), refCounts.getOrDefault(e.getKey(), 0));
                }
            }
        }
        return fromStatistics(correct, total, hypLen, refLen, tokenizer.name());
    }

    /** BLEU from corpus statistics, following the formulas in the class comment. */
    static BleuScore fromStatistics(long[] correct, long[] total, long hypLen, long refLen, String tokenizer) {
        double bp = 1.0;
        if (hypLen < refLen) {
            bp = hypLen > 0 ? Math.exp(1.0 - (double) refLen / hypLen) : 0.0;
        }
        double[] precisions = new double[MAX_ORDER];
        boolean anyMatch = false;
        for (long c : correct) {
            anyMatch |= c > 0;
        }
        if (!anyMatch) {
            return new BleuScore(0.0, precisions, correct, total, bp, hypLen, refLen, tokenizer);
        }
        double smoothing = 1.0;
        for (int n = 0; n < MAX_ORDER; n++) {
            if (total[n] == 0) {
                break;
            }
            if (correct[n] == 0) {
                smoothing *= 2;
                precisions[n] = 100.0 / (smoothing * total[n]);
            } else {
                precisions[n] = 100.0 * correct[n] / total[n];
            }
        }
        double logSum = 0.0;
        for (double p : precisions) {
            logSum += p == 0.0 ? LOG_ZERO : Math.log(p);
        }
        double score = bp * Math.exp(logSum / MAX_ORDER);
        return new BleuScore(score, precisions, correct, total, bp, hypLen, refLen, tokenizer);
    }

    /** @return how often each n-gram (tokens joined by single spaces) occurs in the token list */
    static Map<String, Integer> ngramCounts(List<String> tokens, int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(String.join(" ", tokens.subList(i, i + n)), 1, Integer::sum);
        }
        return counts;
    }
}
