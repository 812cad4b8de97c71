package org.attentionzoo.train;

import java.io.PrintStream;

/**
 * How a {@link Trainer} shows that it is alive: a one-line bar redrawn in place on a terminal
 * ({@link TerminalProgress}), plain lines every few steps elsewhere ({@link LineProgress}).
 */
public interface Progress {

    /** Called after every update. */
    void step(ProgressEvent e);

    /** A line worth keeping: resuming, a dev evaluation, a new best checkpoint, early stopping. */
    void message(String line);

    /** Training has ended; leave the output tidy. */
    default void done() {
    }

    /**
     * The right display for {@code out}: the in-place bar when the JVM has a console (an interactive
     * terminal), otherwise a line every {@code every} steps, which suits log files and pipes.
     */
    static Progress forConsole(PrintStream out, int every) {
        return System.console() != null ? new TerminalProgress(out) : new LineProgress(out, every);
    }

    /** No output at all. */
    static Progress silent() {
        return new Progress() {
            @Override
            public void step(ProgressEvent e) {
            }

            @Override
            public void message(String line) {
            }
        };
    }
}
