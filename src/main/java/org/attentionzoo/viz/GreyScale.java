package org.attentionzoo.viz;

import java.util.Locale;

/**
 * Maps a weight to a grey as in the matrix figures of Bahdanau et al. (2015): 0 is white, 1 is black.
 */
final class GreyScale {

    private GreyScale() {
    }

    /** The grey level 0..255 for a weight in [0, 1]: {@code round(255 * (1 - w))}. */
    static int level(double weight) {
        double w = Math.min(1.0, Math.max(0.0, weight));
        return (int) Math.round(255 * (1 - w));
    }

    /** The same grey as a 24-bit RGB value. */
    static int rgb(double weight) {
        int g = level(weight);
        return (g << 16) | (g << 8) | g;
    }

    /** The same grey as a CSS/SVG colour, e.g. {@code #bfbfbf} for 0.25. */
    static String hex(double weight) {
        return String.format(Locale.ROOT, "#%06x", rgb(weight));
    }
}
