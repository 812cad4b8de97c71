package org.attentionzoo.viz;

import org.attentionzoo.util.AtomicFiles;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Draws an {@link Alignment} as a PNG picture in the style of the matrix figures of Bahdanau et al.
 * (2015): one grey square per weight (white for 0, black for 1), source tokens across the top rotated
 * 90° to read upwards, target tokens down the left.
 *
 * <p>Only {@code java.awt} and {@code javax.imageio} are used, off screen: the picture is drawn into a
 * {@link BufferedImage}, which needs no display, so drawing works on a server without one and changes no
 * system property ({@code AttentionZoo.configure()} sets {@code java.awt.headless} for the
 * command line).
 */
public final class PngHeatmap {

    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Color FRAME = new Color(0x99, 0x99, 0x99);

    private PngHeatmap() {
    }

    /**
     * Writes the picture to {@code file} atomically (a temporary file in the same folder, then a
     * rename), creating missing parent folders.
     *
     * @throws IOException if the file cannot be written
     */
    public static void write(Alignment a, Path file) throws IOException {
        BufferedImage image = draw(a);
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available in javax.imageio");
            }
        });
    }

    /** Draws the picture in memory. */
    static BufferedImage draw(Alignment a) {
        HeatmapLayout layout = layout(a);
        BufferedImage image = new BufferedImage(layout.width(), layout.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = prepare(image);
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, layout.width(), layout.height());
            for (int t = 0; t < a.rows(); t++) {
                for (int s = 0; s < a.columns(); s++) {
                    g.setColor(new Color(GreyScale.rgb(a.weight(t, s))));
                    g.fillRect(layout.cellX(s), layout.cellY(t), layout.cell(), layout.cell());
                }
            }
            g.setColor(FRAME);
            g.drawRect(layout.gridLeft() - 1, layout.gridTop() - 1, layout.gridWidth() + 1, layout.gridHeight() + 1);
            g.setColor(Color.BLACK);
            drawLabels(g, a, layout);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The layout the picture uses, sized from this renderer's font. */
    static HeatmapLayout layout(Alignment a) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = prepare(scratch);
        try {
            FontMetrics metrics = g.getFontMetrics();
            return HeatmapLayout.of(a, metrics::stringWidth);
        } finally {
            g.dispose();
        }
    }

    private static Graphics2D prepare(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setFont(FONT);
        return g;
    }

    private static void drawLabels(Graphics2D g, Alignment a, HeatmapLayout layout) {
        FontMetrics metrics = g.getFontMetrics();
        float centring = (metrics.getAscent() - metrics.getDescent()) / 2f;
        for (int t = 0; t < a.rows(); t++) {
            String label = a.targetTokens().get(t);
            g.drawString(label, layout.targetLabelRight() - metrics.stringWidth(label), layout.centreY(t) + centring);
        }
        AffineTransform straight = g.getTransform();
        for (int s = 0; s < a.columns(); s++) {
            g.translate(layout.centreX(s), layout.sourceLabelBottom());
            g.rotate(-Math.PI / 2);
            g.drawString(a.sourceTokens().get(s), 0f, centring);
            g.setTransform(straight);
        }
    }
}
