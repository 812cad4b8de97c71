package org.attentionzoo.cli;

import org.attentionzoo.data.Utf8LineReader;
import org.attentionzoo.decode.Decoding;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.util.Threads;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code translate}: source lines in (stdin or {@code --src}), translations out (stdout or {@code --output}), one
 * per line, order kept, each batch written and flushed as soon as it is decoded.
 */
@Command(name = "translate", mixinStandardHelpOptions = true, description = "Translate one sentence per line (greedy or beam search), from stdin or --src "
        + "to stdout or --output; each batch is written as soon as it is decoded.")
final class TranslateCommand implements Callable<Integer> {

    /** Lines per batch of the decoder ({@code Translator}'s batch); a read takes up to this many per worker. */
    static final int BATCH = 64;

    /**
     * Batches per decoding worker read at most at once when input is ready (a file): the translator sorts what it
     * has by length, so a larger read pads less.
     */
    static final int READ_BATCHES = 8;

    @Option(names = "--model", required = true, description = "A model.zip written by train or release.")
    Path model;

    @Option(names = "--src", paramLabel = "FILE", description = "Source file, UTF-8, one sentence per line (default: standard input).")
    Path src;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the translations here (default: standard output).")
    Path output;

    @CommandLine.Mixin
    DecodingOptions options = new DecodingOptions();

    @Option(names = "--nbest", paramLabel = "N",
            description = "Print the N best translations of each line as \"lineNumber ||| translation ||| score\" "
                    + "(Moses n-best format: lines numbered from 0, score = the length-normalised log-probability the "
                    + "search ranked by; N <= beam).")
    Integer nbest;

    @Option(names = "--alignments", description = "Append \" ||| \" and the hard alignment to each output line: "
            + "\"s-t\" pairs (Pharaoh format, 0-based model tokens), each output token t with the source token s it "
            + "attended to most. Attention models only.")
    boolean alignments;

    @Option(names = "--verbose", description = "Report the model load time and the decoding speed on stderr.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Decoding decoding = options.decoding();
        int n = nbest == null ? 1 : nbest;
        if (n < 1 || n > options.beam) {
            throw new IllegalArgumentException("--nbest must be between 1 and --beam (" + options.beam + "); got " + n);
        }
        if (src != null && !Files.isRegularFile(src)) {
            throw new NoSuchFileException(src + ": file not found");
        }
        long start = System.nanoTime();
        TranslationModel m = ModelArchive.load(model, false);
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        if (verbose) {
            System.err.printf(Locale.ROOT, "loaded %s (%s) in %.2f s%n", model, m.card().name(), loadSeconds);
        }
        if (alignments && m.alignmentVertex() == null) {
            throw new IllegalArgumentException(model + ": a " + m.card().family().name().toLowerCase(Locale.ROOT)
                    + " model has no attention, so no alignments");
        }
        Translator translator = new Translator(m, decoding.alignments(alignments));
        long decodeStart = System.nanoTime();
        int lines;
        try (InputStream in = src == null ? System.in : Files.newInputStream(src);
             Output out = output == null ? Output.standard() : Output.file(output)) {
            lines = stream(translator, in, src == null ? "<stdin>" : src.toString(), out, nbest == null ? 0 : n, alignments);
        }
        if (verbose && lines >= 0) {
            double seconds = (System.nanoTime() - decodeStart) / 1e9;
            System.err.printf(Locale.ROOT, "translated %d lines in %.2f s (%.1f lines/s, reading and writing included)%n",
                    lines, seconds, lines / Math.max(seconds, 1e-9));
        }
        return 0;
    }

    /**
     * Translates lines from {@code in} to {@code out} as they come: reads a line, then more while more input is
     * ready at once (up to {@value #READ_BATCHES} batches of {@value #BATCH} lines per decoding worker, so that a
     * file fills whole batches of similar length on every core), translates what it has, writes and flushes it, and only then waits for more input. A person typing a
     * line sees its translation at once. Stops at the end of the input, or early, returning −1, when the output is
     * closed (e.g. {@code translate | head -1}).
     *
     * @param nbest 0 for plain output, else the n-best list size (n-best format)
     * @return the lines translated, or −1 if the output was closed before the end
     * @throws org.attentionzoo.data.CorpusFormatException naming {@code origin} and the line, on invalid UTF-8
     */
    static int stream(Translator translator, InputStream in, String origin, Output out, int nbest, boolean alignments)
            throws IOException {
        BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, 1 << 16);
        Utf8LineReader reader = new Utf8LineReader(buffered, origin);
        int most = BATCH * Threads.workers() * READ_BATCHES;
        List<String> lines = new ArrayList<>();
        int done = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lines.add(line);
            if (lines.size() < most && buffered.available() > 0) {
                continue;
            }
            if (!write(translator, lines, origin, done, out, nbest, alignments)) {
                return -1;
            }
            done += lines.size();
            lines.clear();
        }
        if (!lines.isEmpty() && !write(translator, lines, origin, done, out, nbest, alignments)) {
            return -1;
        }
        return done + lines.size();
    }

    /** Translates and writes a batch of lines, numbered from {@code done}; false if the output is closed. */
    private static boolean write(Translator translator, List<String> lines, String origin, int done, Output out,
                                 int nbest, boolean alignments) throws IOException {
        StringBuilder text = new StringBuilder();
        List<List<Translation>> all;
        try {
            all = translator.translateAllNBest(lines, Math.max(1, nbest));
        } catch (Translator.SourceTooLongException e) {
            throw new IllegalArgumentException(origin + ":" + (done + e.index() + 1) + ": " + e.getMessage()
                    + " (--max-source-length)");
        }
        for (int i = 0; i < all.size(); i++) {
            for (Translation t : all.get(i)) {
                text.append(line(done + i, t, nbest, alignments)).append('\n');
            }
        }
        return out.write(text.toString());
    }

    /** One output line: the text, or "n ||| text ||| score" in n-best format, then " ||| alignment" if asked. */
    static String line(int lineNumber, Translation t, int nbest, boolean alignments) {
        String line = nbest == 0 ? t.text()
                : lineNumber + " ||| " + t.text() + " ||| " + String.format(Locale.ROOT, "%.6f", t.score());
        return alignments ? line + " ||| " + t.pharaohAlignment() : line;
    }

    /** Where translations go: standard output (a closed one ends the command quietly) or a file. */
    abstract static class Output implements AutoCloseable {

        /** Writes and flushes; false when standard output is closed. */
        abstract boolean write(String text) throws IOException;

        @Override
        public abstract void close() throws IOException;

        /** Standard output, as {@code System.out} is at the call. */
        static Output standard() {
            PrintStream out = System.out;
            return new Output() {
                @Override
                boolean write(String text) {
                    out.print(text);
                    return !out.checkError();                                  // checkError flushes
                }

                @Override
                public void close() {
                    out.flush();
                }
            };
        }

        /** A file, created or replaced; write errors name it. */
        static Output file(Path file) throws IOException {
            Writer writer = new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8);
            return new Output() {
                @Override
                boolean write(String text) throws IOException {
                    try {
                        writer.write(text);
                        writer.flush();
                        return true;
                    } catch (IOException e) {
                        throw new IOException(file + ": cannot write (" + e.getMessage() + ")", e);
                    }
                }

                @Override
                public void close() throws IOException {
                    writer.close();
                }
            };
        }

        /** Any stream (tests), flushed after every batch; write errors propagate. */
        static Output of(OutputStream stream) {
            Writer writer = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
            return new Output() {
                @Override
                boolean write(String text) throws IOException {
                    writer.write(text);
                    writer.flush();
                    return true;
                }

                @Override
                public void close() throws IOException {
                    writer.flush();
                }
            };
        }
    }
}
