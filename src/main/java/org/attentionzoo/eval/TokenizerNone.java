package org.attentionzoo.eval;

/** No tokenization: the line is returned as it is and BLEU splits it on whitespace only (sacreBLEU's "none"). */
public final class TokenizerNone implements BleuTokenizer {

    @Override
    public String tokenize(String line) {
        return line;
    }

    @Override
    public String name() {
        return "none";
    }
}
