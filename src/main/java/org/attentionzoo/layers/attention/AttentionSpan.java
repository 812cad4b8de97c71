package org.attentionzoo.layers.attention;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which source positions a decoder state attends to (Luong et al. 2015, sections 3.1 and 3.2): all of them
 * ({@code global}), or a window of 2D + 1 positions around a centre p_t ({@code local-m}: p_t = t, monotonic;
 * {@code local-p}: p_t predicted from h_t, with a Gaussian favouring positions near p_t).
 */
public enum AttentionSpan {
    GLOBAL, LOCAL_M, LOCAL_P;

    /** The paper's half-width D of the local window (section 4.1: D = 10). */
    public static final int DEFAULT_WINDOW = 10;

    /**
     * The alignment of this span.
     *
     * @param queryDim     size of the decoder states h_t
     * @param predictorDim hidden size of local-p's position predictor (unused otherwise)
     * @param window       the half-width D of a local window (unused by global)
     */
    public Alignment create(long queryDim, long predictorDim, int window) {
        return this == GLOBAL ? GlobalAlignment.INSTANCE : new LocalAlignment(this == LOCAL_P, queryDim, predictorDim, window);
    }

    /** The names a model card can use: global, local-m, local-p. */
    public static List<String> names() {
        return Arrays.stream(values()).map(AttentionSpan::toString).toList();
    }

    /** Parses "global", "local-m" or "local-p" (any case). */
    public static AttentionSpan parse(String name) {
        for (AttentionSpan s : values()) {
            if (s.toString().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown attention \"" + name + "\"; use one of " + String.join(", ", names()));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
