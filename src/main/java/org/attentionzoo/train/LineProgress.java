package org.attentionzoo.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress as plain lines, one every {@code every} steps, for logs and pipes:
 * <pre>
 * step    200  epoch   1  loss 1.2345  12,345 tok/s  42s  dev BLEU 12.34  ETA 3m20s
 * </pre>
 */
public final class LineProgress implements Progress {

    private final PrintStream out;
    private final int every;

    /** Prints to {@code out} every {@code every} steps (0: only messages). */
    public LineProgress(PrintStream out, int every) {
        this.out = out;
        this.every = every;
    }

    @Override
    public void step(ProgressEvent e) {
        if (every > 0 && e.step() % every == 0) {
            out.println(line(e));
        }
    }

    @Override
    public void message(String line) {
        out.println(line);
    }

    /** The text of one progress line. */
    static String line(ProgressEvent e) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "step %6d  epoch %3d  loss %.4f  %,.0f tok/s  %.0fs",
                e.step(), e.epoch(), e.loss(), e.tokensPerSecond(), e.seconds()));
        if (!Double.isNaN(e.devBleu())) {
            s.append(String.format(Locale.ROOT, "  dev BLEU %.2f", e.devBleu()));
        }
        if (!Double.isNaN(e.etaSeconds())) {
            s.append("  ETA ").append(duration(e.etaSeconds()));
        }
        return s.toString();
    }

    /** Seconds as {@code 45s}, {@code 3m20s} or {@code 2h05m}. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
