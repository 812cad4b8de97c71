package org.attentionzoo.eval;

/**
 * A corpus chrF score.
 *
 * @param score     chrF in [0, 100]
 * @param precision the character n-gram precision averaged over the effective orders, in [0, 1]
 * @param recall    the character n-gram recall averaged over the effective orders, in [0, 1]
 */
public record ChrFScore(double score, double precision, double recall) {

    /** @return the score rounded to 2 decimals, as sacreBLEU prints it (e.g. "57.89") */
    public String scoreText() {
        return Decimals.fixed(score, 2);
    }

    /** @return sacreBLEU's score line, e.g. {@code chrF2 = 57.89} */
    public String format() {
        return "chrF" + ChrF.BETA + " = " + scoreText();
    }

    /**
     * @return the settings in sacreBLEU's signature layout,
     *     {@code nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:attention-zoo}; the version field names this
     *     implementation (not sacreBLEU)
     */
    public String signature() {
        return "nrefs:1|case:mixed|eff:yes|nc:" + ChrF.CHAR_ORDER + "|nw:0|space:no|version:" + Bleu.VERSION;
    }

    @Override
    public String toString() {
        return format();
    }
}
