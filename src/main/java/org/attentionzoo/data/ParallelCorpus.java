package org.attentionzoo.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaDataLine;
import org.datavec.api.split.FileSplit;

/**
 * A parallel corpus read into memory from one tab-separated file through
 * {@link TsvPairRecordReader}.
 */
public final class ParallelCorpus {

    private final Path file;
    private final List<SentencePair> pairs;
    private final int skippedLines;
    private final List<String> skippedLineMessages;

    private ParallelCorpus(Path file, List<SentencePair> pairs, int skippedLines, List<String> skippedLineMessages) {
        this.file = file;
        this.pairs = List.copyOf(pairs);
        this.skippedLines = skippedLines;
        this.skippedLineMessages = List.copyOf(skippedLineMessages);
    }

    /**
     * Reads all sentence pairs of a {@code source<TAB>target} file (see {@link TsvPairRecordReader}
     * for the format). Each pair's origin is {@code "<file name>:<1-based line>"}.
     *
     * @param file         the corpus file
     * @param skipBadLines count and skip lines without a tab, with an empty field or of invalid UTF-8
     *                     instead of failing
     * @throws NoSuchFileException   if the file does not exist (message names it)
     * @throws CorpusFormatException if a line is malformed or not UTF-8 (message starts with
     *                               {@code "<file>:<line>: "}), or the file holds no pair at all
     * @throws IOException           if reading fails
     */
    public static ParallelCorpus read(Path file, boolean skipBadLines) throws IOException {
        // Checked first: DataVec's FileSplit silently creates a missing file given an absolute path.
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "parallel corpus file not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": parallel corpus path is not a regular file");
        }
        String name = file.getFileName().toString();
        List<SentencePair> pairs = new ArrayList<>();
        TsvPairRecordReader reader = new TsvPairRecordReader(skipBadLines);
        try {
            reader.initialize(new FileSplit(file.toFile()));
            while (reader.hasNext()) {
                Record record = reader.nextRecord();
                int line = ((RecordMetaDataLine) record.getMetaData()).getLineNumber() + 1;
                pairs.add(new SentencePair(record.getRecord().get(0).toString(),
                        record.getRecord().get(1).toString(), name + ":" + line));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + file, e);
        } finally {
            reader.close();
        }
        if (pairs.isEmpty()) {
            String why = reader.skippedLines() > 0
                    ? "all " + reader.skippedLines() + " non-blank lines were bad and skipped"
                    : "the file is empty or blank";
            throw new CorpusFormatException(file.toString(), 0, "no sentence pairs: " + why);
        }
        return new ParallelCorpus(file, pairs, reader.skippedLines(), reader.skippedLineMessages());
    }

    /** Reads strictly: any bad line is an error. Same as {@code read(file, false)}. */
    public static ParallelCorpus read(Path file) throws IOException {
        return read(file, false);
    }

    /** The pairs in file order (unmodifiable). */
    public List<SentencePair> pairs() {
        return pairs;
    }

    /** How many bad lines were skipped (0 unless read with skipBadLines). */
    public int skippedLines() {
        return skippedLines;
    }

    /** Messages for the first few skipped lines, as {@code "<file>:<line>: why"}. */
    public List<String> skippedLineMessages() {
        return skippedLineMessages;
    }

    /** The file the corpus was read from. */
    public Path file() {
        return file;
    }

    /** Number of pairs. */
    public int size() {
        return pairs.size();
    }
}
