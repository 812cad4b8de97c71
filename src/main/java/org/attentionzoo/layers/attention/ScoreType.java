package org.attentionzoo.layers.attention;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The attention score functions a model card can name: dot, general, concat (Luong 2015), additive (Bahdanau 2015). */
public enum ScoreType {
    DOT, GENERAL, CONCAT, ADDITIVE;

    /**
     * @param queryDim     size of decoder states
     * @param keyDim       size of encoder states
     * @param attentionDim hidden size of the concat/additive scorer (unused by dot and general)
     */
    public AttentionScore create(long queryDim, long keyDim, long attentionDim) {
        switch (this) {
            case DOT:
                if (queryDim != keyDim) {
                    throw new IllegalArgumentException("the dot score needs decoder and encoder states of the same size;"
                            + " got " + queryDim + " and " + keyDim + ": use the general score, or equal sizes");
                }
                return new DotScore(queryDim);
            case GENERAL:
                return new GeneralScore(queryDim, keyDim);
            case CONCAT:
                return new ConcatScore(queryDim, keyDim, attentionDim);
            case ADDITIVE:
            default:
                return new AdditiveScore(queryDim, keyDim, attentionDim);
        }
    }

    /** The names a model card can use, in declaration order ("dot", "general", ...). */
    public static List<String> names() {
        return Arrays.stream(values()).map(ScoreType::toString).toList();
    }

    /** Parses "dot", "general", "concat" or "additive" (any case). */
    public static ScoreType parse(String name) {
        for (ScoreType t : values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown attention score \"" + name + "\"; use one of " + String.join(", ", names()));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
