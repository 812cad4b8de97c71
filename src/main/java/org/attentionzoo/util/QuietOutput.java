package org.attentionzoo.util;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps SameDiff's unconditional {@code System.out.println("Added differentiated op ...")} chatter
 * off the console. Logging settings cannot silence it (it bypasses SLF4J), so standard output is
 * wrapped once with a line filter that drops exactly those lines and passes everything else.
 */
public final class QuietOutput {

    private static final String[] DROPPED = {"Added differentiated op"};
    private static boolean installed;

    private QuietOutput() {
    }

    /** Installs the filter on {@code System.out}; calling it again does nothing. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        System.setOut(new PrintStream(new LineFilter(System.out), true, StandardCharsets.UTF_8));
    }

    /** Buffers one line at a time and forwards it unless it starts with a dropped prefix. */
    private static final class LineFilter extends FilterOutputStream {
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        LineFilter(OutputStream out) {
            super(out);
        }

        @Override
        public synchronized void write(int b) throws IOException {
            line.write(b);
            if (b == '\n') {
                flushLine();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            out.flush();
            if (out instanceof PrintStream p && p.checkError()) {
                throw new IOException("write error on the standard output (closed?)");
            }
        }

        private void flushLine() throws IOException {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            for (String prefix : DROPPED) {
                if (text.startsWith(prefix)) {
                    return;
                }
            }
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (out instanceof PrintStream p && p.checkError()) {       // a PrintStream keeps write errors to itself
                throw new IOException("write error on the standard output (closed?)");
            }
        }
    }
}
