package org.attentionzoo.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress as one line redrawn in place with a carriage return, at most a few times a second:
 * <pre>
 * [#########...........]  45%  step 4500  loss 1.2345  12,345 tok/s  dev BLEU 23.40  ETA 3m20s
 * </pre>
 * Messages are printed on lines of their own above the bar.
 */
public final class TerminalProgress implements Progress {

    private static final int BAR = 20;
    private static final long REDRAW_NANOS = 250_000_000L;

    private final PrintStream out;
    private long lastDraw;
    private int drawn;

    public TerminalProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void step(ProgressEvent e) {
        long now = System.nanoTime();
        if (drawn > 0 && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        draw(line(e));
    }

    @Override
    public void message(String line) {
        clear();
        out.println(line);
    }

    @Override
    public void done() {
        if (drawn > 0) {
            out.println();
            drawn = 0;
        }
    }

    private void draw(String line) {
        StringBuilder s = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < drawn; i++) {
            s.append(' ');
        }
        out.print(s);
        out.flush();
        drawn = line.length();
    }

    private void clear() {
        if (drawn > 0) {
            out.print("\r" + " ".repeat(drawn) + "\r");
            drawn = 0;
        }
    }

    /** The text of the bar line. */
    static String line(ProgressEvent e) {
        StringBuilder s = new StringBuilder();
        if (!Double.isNaN(e.fraction())) {
            int filled = (int) Math.round(Math.min(1, Math.max(0, e.fraction())) * BAR);
            s.append('[').append("#".repeat(filled)).append(".".repeat(BAR - filled)).append(']')
                    .append(String.format(Locale.ROOT, " %3.0f%%  ", 100 * e.fraction()));
        }
        s.append(String.format(Locale.ROOT, "step %d  loss %.4f  %,.0f tok/s", e.step(), e.loss(), e.tokensPerSecond()));
        if (!Double.isNaN(e.devBleu())) {
            s.append(String.format(Locale.ROOT, "  dev BLEU %.2f", e.devBleu()));
        }
        if (!Double.isNaN(e.etaSeconds())) {
            s.append("  ETA ").append(LineProgress.duration(e.etaSeconds()));
        }
        return s.toString();
    }
}
