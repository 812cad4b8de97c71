package org.attentionzoo.viz;

import java.util.List;
import java.util.Locale;

/**
 * Draws an {@link Alignment} as a text matrix for a terminal or a log file.
 *
 * <p>Target tokens run down the left, source tokens across the top written vertically (one
 * character per line, read top to bottom), and each cell is two columns wide. By default a cell is
 * shaded by the weight's quintile: {@code ' '} for [0, 0.2), {@code '░'} for [0.2, 0.4),
 * {@code '▒'} for [0.4, 0.6), {@code '▓'} for [0.6, 0.8) and {@code '█'} for [0.8, 1]; a legend
 * line under the matrix says so. Plain output contains no escape codes. With {@code ansiColor} the
 * cells are instead painted with 256-colour ANSI grey backgrounds (light for 0, dark for 1, as in
 * the PNG). East Asian wide characters take a whole cell; control characters in tokens are shown
 * as '?'.
 *
 * <pre>
 *       l c
 *       e h
 *         a
 *         t
 *      ┌────┐
 * the  │██  │
 * cat  │░░▓▓│
 * &lt;/s&gt; │▒▒▒▒│
 *      └────┘
 * [  ] 0.0-0.2  [░░] 0.2-0.4  [▒▒] 0.4-0.6  [▓▓] 0.6-0.8  [██] 0.8-1.0
 * </pre>
 */
public final class TerminalHeatmap {

    private static final char[] SHADES = {' ', '░', '▒', '▓', '█'};
    private static final String ESC = "\u001b[";
    private static final int ANSI_BLACKEST = 232;
    private static final int ANSI_GREY_STEPS = 23;

    private TerminalHeatmap() {
    }

    /** Renders with plain Unicode shading glyphs and no escape codes. */
    public static String render(Alignment a) {
        return render(a, false);
    }

    /**
     * Renders the matrix, one line per text row, each line ending in {@code '\n'}.
     *
     * @param ansiColor true for ANSI 256-colour grey backgrounds, false for shading glyphs
     */
    public static String render(Alignment a, boolean ansiColor) {
        int labelWidth = a.targetTokens().stream()
                .mapToInt(t -> DisplayWidth.of(TerminalText.sanitize(t))).max().orElse(0);
        String indent = " ".repeat(labelWidth + 2);
        StringBuilder out = new StringBuilder();
        appendHeader(out, a.sourceTokens(), indent);
        String rule = "─".repeat(2 * a.columns());
        out.append(" ".repeat(labelWidth + 1)).append('┌').append(rule).append("┐\n");
        for (int t = 0; t < a.rows(); t++) {
            out.append(TerminalText.padRight(TerminalText.sanitize(a.targetTokens().get(t)), labelWidth))
                    .append(" │");
            for (int s = 0; s < a.columns(); s++) {
                out.append(ansiColor ? ansiCell(a.weight(t, s)) : glyphCell(a.weight(t, s)));
            }
            out.append(ansiColor ? ESC + "0m│\n" : "│\n");
        }
        out.append(" ".repeat(labelWidth + 1)).append('└').append(rule).append("┘\n");
        out.append(ansiColor ? ansiLegend() : glyphLegend()).append('\n');
        return out.toString();
    }

    /** Source tokens written vertically, one unit per line, each in a two-column cell. */
    private static void appendHeader(StringBuilder out, List<String> sourceTokens, String indent) {
        List<List<String>> labels = sourceTokens.stream().map(TerminalText::units).toList();
        int lines = labels.stream().mapToInt(List::size).max().orElse(0);
        for (int line = 0; line < lines; line++) {
            StringBuilder row = new StringBuilder(indent);
            for (List<String> label : labels) {
                String unit = line < label.size() ? label.get(line) : "";
                row.append(TerminalText.padRight(unit, 2));
            }
            out.append(row.toString().stripTrailing()).append('\n');
        }
    }

    /** The quintile 0..4 of a weight; lower bounds are inclusive and 1.0 falls in the top one. */
    static int shade(double weight) {
        return Math.min(SHADES.length - 1, Math.max(0, (int) Math.floor(weight * SHADES.length)));
    }

    private static String glyphCell(double weight) {
        return String.valueOf(SHADES[shade(weight)]).repeat(2);
    }

    /** The ANSI 256-colour grey for a weight: 255 (lightest) for 0 down to 232 (darkest) for 1. */
    static int ansiGrey(double weight) {
        return ANSI_BLACKEST + (int) Math.round((1 - weight) * ANSI_GREY_STEPS);
    }

    private static String ansiCell(double weight) {
        return ESC + "48;5;" + ansiGrey(weight) + "m  ";
    }

    private static String glyphLegend() {
        StringBuilder legend = new StringBuilder();
        for (int i = 0; i < SHADES.length; i++) {
            if (i > 0) {
                legend.append("  ");
            }
            legend.append('[').append(glyphCell(i / 5.0)).append("] ")
                    .append(String.format(Locale.ROOT, "%.1f-%.1f", i / 5.0, (i + 1) / 5.0));
        }
        return legend.toString();
    }

    private static String ansiLegend() {
        StringBuilder legend = new StringBuilder("0.0 ");
        for (int i = 0; i <= 10; i++) {
            legend.append(ansiCell(i / 10.0));
        }
        return legend.append(ESC).append("0m 1.0").toString();
    }
}
