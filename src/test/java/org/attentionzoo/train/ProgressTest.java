package org.attentionzoo.train;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The two progress displays: lines off a terminal, a bar redrawn in place on one. */
class ProgressTest {

    static final ProgressEvent EVENT = new ProgressEvent(4500, 3, 1.23456, 12345.6, 23.4, 24.0, 0.45, 164, 200);

    @Test
    void lineEveryNStepsWithDevBleuAndEta() {
        assertEquals("step   4500  epoch   3  loss 1.2346  12,346 tok/s  164s  dev BLEU 23.40  ETA 3m20s",
                LineProgress.line(EVENT));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LineProgress p = new LineProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 1000);
        p.step(EVENT);
        p.step(new ProgressEvent(5000, 3, 1.2, 12000, Double.NaN, Double.NaN, Double.NaN, 170, Double.NaN));
        assertEquals("step   5000  epoch   3  loss 1.2000  12,000 tok/s  170s\n", bytes.toString(StandardCharsets.UTF_8),
                "only step 5000 is a multiple of 1000; unknown values are left out");
    }

    @Test
    void barRedrawnInPlaceAndMessagesAboveIt() {
        assertEquals("[#########...........]  45%  step 4500  loss 1.2346  12,346 tok/s  dev BLEU 23.40  ETA 3m20s",
                TerminalProgress.line(EVENT));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalProgress p = new TerminalProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        p.step(EVENT);
        p.message("step 4500: dev BLEU 23.40");
        p.done();
        String bar = TerminalProgress.line(EVENT);
        assertEquals("\r" + bar + "\r" + " ".repeat(bar.length()) + "\r" + "step 4500: dev BLEU 23.40" + System.lineSeparator(),
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void durations() {
        assertEquals("45s", LineProgress.duration(44.6));
        assertEquals("3m20s", LineProgress.duration(200));
        assertEquals("2h05m", LineProgress.duration(2 * 3600 + 5 * 60 + 10));
    }
}
