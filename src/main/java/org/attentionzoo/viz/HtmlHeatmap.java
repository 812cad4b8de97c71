package org.attentionzoo.viz;

import org.attentionzoo.util.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Draws an {@link Alignment} as a self-contained HTML page holding an inline SVG matrix: one
 * {@code <rect>} per weight in grey (white for 0, black for 1) whose {@code <title>} shows
 * "target → source: 0.873" on hover, source tokens across the top rotated to read upwards, target
 * tokens down the left.
 *
 * <p>The page needs no external scripts, style sheets or fonts, and is also well-formed XML. All
 * tokens are escaped.
 */
public final class HtmlHeatmap {

    /** Font size of the labels in pixels. */
    private static final int FONT_PX = 13;
    /** Estimated label width per terminal column (wide characters count two). */
    private static final int PX_PER_COLUMN = 8;

    private HtmlHeatmap() {
    }

    /** The whole HTML page. */
    public static String render(Alignment a) {
        String caption = Markup.escape(String.join(" ", a.sourceTokens()) + " → " + String.join(" ", a.targetTokens()));
        return "<!DOCTYPE html>\n"
                + "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                + "<title>Alignment: " + caption + "</title>\n"
                + "<style>body{font-family:sans-serif;margin:16px;background:#fff;color:#000}"
                + "svg text{font-family:sans-serif;font-size:" + FONT_PX + "px}</style>\n"
                + "</head>\n<body>\n<p>" + caption + "</p>\n"
                + svg(a)
                + "</body>\n</html>\n";
    }

    /**
     * Writes the page to {@code file} as UTF-8, atomically (a temporary file in the same folder,
     * then a rename), creating missing parent folders.
     *
     * @throws IOException if the file cannot be written
     */
    public static void write(Alignment a, Path file) throws IOException {
        byte[] bytes = render(a).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** The layout the SVG uses, with label widths estimated from display columns. */
    static HeatmapLayout layout(Alignment a) {
        return HeatmapLayout.of(a, token -> PX_PER_COLUMN * DisplayWidth.of(token));
    }

    /** The {@code <svg>} element alone. */
    static String svg(Alignment a) {
        HeatmapLayout layout = layout(a);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " shape-rendering=\"crispEdges\" role=\"img\">\n",
                layout.width(), layout.height(), layout.width(), layout.height()));
        out.append("<g class=\"cells\">\n");
        for (int t = 0; t < a.rows(); t++) {
            for (int s = 0; s < a.columns(); s++) {
                double w = a.weight(t, s);
                out.append(String.format(Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%s → %s: %.3f</title></rect>\n",
                        layout.cellX(s), layout.cellY(t), layout.cell(), layout.cell(), GreyScale.hex(w),
                        Markup.escape(a.targetTokens().get(t)), Markup.escape(a.sourceTokens().get(s)), w));
            }
        }
        out.append("</g>\n");
        out.append(String.format(Locale.ROOT,
                "<path class=\"frame\" d=\"M%d.5 %d.5h%dv%dh%dz\" fill=\"none\" stroke=\"#999999\"/>\n",
                layout.gridLeft() - 1, layout.gridTop() - 1, layout.gridWidth() + 1, layout.gridHeight() + 1,
                -(layout.gridWidth() + 1)));
        out.append("<g class=\"target-labels\" text-anchor=\"end\" dominant-baseline=\"central\">\n");
        for (int t = 0; t < a.rows(); t++) {
            out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>\n",
                    layout.targetLabelRight(), layout.centreY(t), Markup.escape(a.targetTokens().get(t))));
        }
        out.append("</g>\n");
        out.append("<g class=\"source-labels\" text-anchor=\"start\" dominant-baseline=\"central\">\n");
        for (int s = 0; s < a.columns(); s++) {
            int x = layout.centreX(s);
            int y = layout.sourceLabelBottom();
            out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" transform=\"rotate(-90 %d %d)\">%s</text>\n",
                    x, y, x, y, Markup.escape(a.sourceTokens().get(s))));
        }
        out.append("</g>\n</svg>\n");
        return out.toString();
    }
}
