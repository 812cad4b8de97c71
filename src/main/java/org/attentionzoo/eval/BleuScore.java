package org.attentionzoo.eval;

import java.util.Arrays;

/**
 * A corpus BLEU score and the statistics it was computed from.
 *
 * @param score      BLEU in [0, 100]
 * @param precisions the (smoothed) n-gram precisions p_1..p_4 in percent
 * @param matches    clipped matching n-gram counts, per order 1..4
 * @param totals     hypothesis n-gram counts, per order 1..4
 * @param bp         brevity penalty
 * @param hypLen     hypothesis tokens in the corpus
 * @param refLen     reference tokens in the corpus
 * @param tokenizer  the tokenizer's name, for the signature
 */
public record BleuScore(double score, double[] precisions, long[] matches, long[] totals, double bp,
                        long hypLen, long refLen, String tokenizer) {

    /** Copies the arrays, so that the score cannot change afterwards. */
    public BleuScore {
        precisions = precisions.clone();
        matches = matches.clone();
        totals = totals.clone();
    }

    @Override
    public double[] precisions() {
        return precisions.clone();
    }

    @Override
    public long[] matches() {
        return matches.clone();
    }

    @Override
    public long[] totals() {
        return totals.clone();
    }

    /** @return hypLen / refLen, or 0 when refLen is 0 */
    public double ratio() {
        return refLen == 0 ? 0.0 : (double) hypLen / refLen;
    }

    /** @return the score rounded to 2 decimals, as sacreBLEU prints it (e.g. "34.12") */
    public String scoreText() {
        return Decimals.fixed(score, 2);
    }

    /**
     * @return sacreBLEU's score line, e.g.
     *     {@code BLEU = 34.12 65.2/40.1/27.3/19.8 (BP = 0.951 ratio = 0.952 hyp_len = 1234 ref_len = 1296)}
     */
    public String format() {
        StringBuilder b = new StringBuilder("BLEU = ").append(scoreText()).append(' ');
        for (int n = 0; n < precisions.length; n++) {
            b.append(n == 0 ? "" : "/").append(Decimals.fixed(precisions[n], 1));
        }
        return b.append(" (BP = ").append(Decimals.fixed(bp, 3))
                .append(" ratio = ").append(Decimals.fixed(ratio(), 3))
                .append(" hyp_len = ").append(hypLen)
                .append(" ref_len = ").append(refLen).append(')').toString();
    }

    /**
     * @return the settings in sacreBLEU's signature layout, e.g.
     *     {@code nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:attention-zoo}; the version field names this
     *     implementation (not sacreBLEU) since the numbers come from our code
     */
    public String signature() {
        return "nrefs:1|case:mixed|eff:no|tok:" + tokenizer + "|smooth:exp|version:" + Bleu.VERSION;
    }

    @Override
    public String toString() {
        return format();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BleuScore s && Double.compare(score, s.score) == 0
                && Arrays.equals(precisions, s.precisions) && Arrays.equals(matches, s.matches)
                && Arrays.equals(totals, s.totals) && Double.compare(bp, s.bp) == 0
                && hypLen == s.hypLen && refLen == s.refLen && tokenizer.equals(s.tokenizer);
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(score) + Arrays.hashCode(matches) + Long.hashCode(hypLen);
    }
}
