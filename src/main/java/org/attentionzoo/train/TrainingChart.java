package org.attentionzoo.train;

import org.attentionzoo.util.AtomicFiles;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws the training log as a PNG: training loss per token against steps on top, dev BLEU (red) and
 * chrF (orange) against steps below, when there was a dev set. Like {@link org.attentionzoo.viz.PngHeatmap} it uses only
 * {@code java.awt} off screen, into a {@link BufferedImage}, and changes no system property.
 */
public final class TrainingChart {

    static final int WIDTH = 800;
    static final int PANEL = 260;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 30;
    private static final int BOTTOM = 40;
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Color LOSS = new Color(0x1f, 0x77, 0xb4);
    private static final Color BLEU = new Color(0xd6, 0x27, 0x28);
    private static final Color CHRF = new Color(0xff, 0x7f, 0x0e);

    private TrainingChart() {
    }

    /** Writes the chart of {@code rows} to {@code file} atomically. */
    public static void write(List<LogRow> rows, Path file) throws IOException {
        BufferedImage image = draw(rows);
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available in javax.imageio");
            }
        });
    }

    /** Draws the chart in memory: one panel for the loss, a second for dev BLEU if it was measured. */
    static BufferedImage draw(List<LogRow> rows) {
        boolean bleu = rows.stream().anyMatch(r -> !Double.isNaN(r.devBleu()));
        int height = PANEL * (bleu ? 2 : 1);
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(FONT);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            long maxStep = rows.stream().mapToLong(LogRow::step).max().orElse(1);
            panel(g, 0, rows, List.of(LogRow::trainLoss), List.of(LOSS), maxStep, "training loss per token");
            if (bleu) {
                panel(g, PANEL, rows, List.of(LogRow::devBleu, LogRow::devChrf), List.of(BLEU, CHRF), maxStep,
                        "dev BLEU (red) and chrF (orange)");
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void panel(Graphics2D g, int top, List<LogRow> rows, List<ToDoubleFunction<LogRow>> values,
                              List<Color> colors, long maxStep, String title) {
        int x0 = LEFT;
        int x1 = WIDTH - RIGHT;
        int y0 = top + PANEL - BOTTOM;
        int y1 = top + TOP;
        g.setColor(Color.BLACK);
        g.drawString(title, x0, top + 18);
        g.setColor(Color.GRAY);
        g.drawRect(x0, y1, x1 - x0, y0 - y1);
        double lo = 0;
        double hi = 1;
        for (ToDoubleFunction<LogRow> value : values) {
            for (LogRow r : rows) {
                double y = value.applyAsDouble(r);
                hi = Double.isNaN(y) ? hi : Math.max(hi, y);
            }
        }
        hi *= 1.05;
        g.setColor(Color.BLACK);
        g.drawString(String.format(Locale.ROOT, "%.2f", hi), 8, y1 + 5);
        g.drawString(String.format(Locale.ROOT, "%.2f", lo), 8, y0 + 5);
        g.drawString("0", x0, y0 + 16);
        String last = "step " + maxStep;
        g.drawString(last, x1 - g.getFontMetrics().stringWidth(last), y0 + 16);
        g.setStroke(new BasicStroke(2f));
        for (int k = values.size() - 1; k >= 0; k--) {
            ToDoubleFunction<LogRow> value = values.get(k);
            double[] xs = rows.stream().filter(r -> !Double.isNaN(value.applyAsDouble(r))).mapToDouble(LogRow::step).toArray();
            double[] ys = rows.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).toArray();
            g.setColor(colors.get(k));
            line(g, xs, ys, maxStep, x0, x1, y0, y1, lo, hi);
        }
    }

    private static void line(Graphics2D g, double[] xs, double[] ys, long maxStep, int x0, int x1, int y0, int y1,
                             double lo, double hi) {
        int px = -1;
        int py = -1;
        for (int i = 0; i < xs.length; i++) {
            int x = x0 + (int) Math.round((x1 - x0) * xs[i] / Math.max(1, maxStep));
            int y = y0 - (int) Math.round((y0 - y1) * (ys[i] - lo) / (hi - lo));
            if (px >= 0) {
                g.drawLine(px, py, x, y);
            }
            g.fillOval(x - 2, y - 2, 5, 5);
            px = x;
            py = y;
        }
    }
}
