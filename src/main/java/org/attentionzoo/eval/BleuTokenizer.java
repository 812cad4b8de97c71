package org.attentionzoo.eval;

/**
 * How BLEU splits a detokenized line into tokens before counting n-grams: a line in, the same line with tokens
 * separated by single spaces out. The implementations reproduce sacreBLEU's tokenizers of the same names
 * (Post 2018, "A Call for Clarity in Reporting BLEU Scores", https://github.com/mjpost/sacrebleu).
 */
public interface BleuTokenizer {

    /** @return the tokenized line, tokens separated by single spaces, no leading or trailing space */
    String tokenize(String line);

    /** @return the name used in signatures and by {@link #named(String)}: "13a", "zh" or "none" */
    String name();

    /**
     * @param name "13a" (mteval-v13a, sacreBLEU's default), "zh" (Chinese characters split one by one) or "none"
     * @throws IllegalArgumentException for any other name
     */
    static BleuTokenizer named(String name) {
        return switch (name) {
            case "13a" -> new Tokenizer13a();
            case "zh" -> new TokenizerZh();
            case "none" -> new TokenizerNone();
            default -> throw new IllegalArgumentException("unknown BLEU tokenizer '" + name
                    + "'; known: 13a, zh, none");
        };
    }
}
