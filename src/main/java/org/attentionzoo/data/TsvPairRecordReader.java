package org.attentionzoo.data;

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.datavec.api.conf.Configuration;
import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaData;
import org.datavec.api.records.metadata.RecordMetaDataLine;
import org.datavec.api.records.reader.BaseRecordReader;
import org.datavec.api.split.InputSplit;
import org.datavec.api.writable.Text;
import org.datavec.api.writable.Writable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DataVec record reader for tab-separated parallel corpora: each record is
 * {@code [Text(source), Text(target)]}.
 *
 * <p>A line is {@code source<TAB>target}; further columns (the attribution column of Tatoeba/Anki
 * exports {@code english<TAB>other<TAB>attribution}) are ignored. Fields are stripped of
 * surrounding whitespace. The bytes must be strict UTF-8; a UTF-8 byte order mark at the start of
 * a file is skipped, CRLF line ends are accepted and blank lines are skipped.
 *
 * <p>Bad input is reported as a {@link CorpusFormatException} whose message starts with
 * {@code "<file>:<line>: "} (1-based line). Because {@code RecordReader.hasNext()} and
 * {@code next()} cannot throw checked exceptions, it arrives wrapped in an
 * {@link UncheckedIOException} carrying the same message. A line without a tab, or with an empty
 * source or target, is such an error unless the reader was created with {@code skipBadLines};
 * then it is counted ({@link #skippedLines()}) and the first {@value #REPORTED_BAD_LINES} are
 * kept as messages ({@link #skippedLineMessages()}) and logged. A line of invalid UTF-8 is such a
 * bad line too.
 *
 * <p>Each {@link Record}'s metadata is a {@link RecordMetaDataLine} holding the file URI and the
 * <em>0-based</em> line index, following DataVec's {@code LineRecordReader} convention; add one for
 * the line number people read. Only splits with locations (such as {@code FileSplit} or
 * {@code CollectionInputSplit}) are supported.
 */
public class TsvPairRecordReader extends BaseRecordReader {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TsvPairRecordReader.class);

    /** How many skipped bad lines are kept as messages and logged. */
    public static final int REPORTED_BAD_LINES = 5;

    private final boolean skipBadLines;
    private Configuration conf;
    private URI[] locations = new URI[0];
    private int locationIndex;
    private transient Utf8LineReader lines;
    private transient ParsedLine pending;
    private int skippedLines;
    private final List<String> skippedLineMessages = new ArrayList<>();

    /** A strict reader: any bad line is an error. */
    public TsvPairRecordReader() {
        this(false);
    }

    /**
     * @param skipBadLines if true, lines without a tab, with an empty field or of invalid UTF-8 are
     *                     counted and skipped instead of being errors
     */
    public TsvPairRecordReader(boolean skipBadLines) {
        this.skipBadLines = skipBadLines;
    }

    /** A parsed line: the two fields, and where they came from (1-based line). */
    private record ParsedLine(String source, String target, URI uri, int line) {
        List<Writable> writables() {
            List<Writable> record = new ArrayList<>(2);
            record.add(new Text(source));
            record.add(new Text(target));
            return record;
        }
    }

    @Override
    public void initialize(InputSplit split) throws IOException, InterruptedException {
        super.initialize(split);
        List<URI> uris = new ArrayList<>();
        Iterator<URI> it = split.locationsIterator();
        while (it.hasNext()) {
            uris.add(it.next());
        }
        if (uris.isEmpty()) {
            throw new IllegalArgumentException("TsvPairRecordReader needs a split with file locations, got "
                    + split.getClass().getSimpleName() + " with none");
        }
        locations = uris.toArray(new URI[0]);
        restart();
    }

    @Override
    public void initialize(Configuration conf, InputSplit split) throws IOException, InterruptedException {
        this.conf = conf;
        initialize(split);
    }

    @Override
    public boolean hasNext() {
        if (pending != null) {
            return true;
        }
        try {
            pending = readNextValid();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return pending != null;
    }

    @Override
    public List<Writable> next() {
        return nextParsed().writables();
    }

    @Override
    public Record nextRecord() {
        ParsedLine p = nextParsed();
        return new org.datavec.api.records.impl.Record(p.writables(),
                new RecordMetaDataLine(p.line() - 1, p.uri(), TsvPairRecordReader.class));
    }

    private ParsedLine nextParsed() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more sentence pairs");
        }
        ParsedLine p = pending;
        pending = null;
        invokeListeners(p.writables());
        return p;
    }

    /** Number of bad lines skipped so far (always 0 for a strict reader). */
    public int skippedLines() {
        return skippedLines;
    }

    /** Messages for the first {@value #REPORTED_BAD_LINES} skipped lines, as {@code "file:line: why"}. */
    public List<String> skippedLineMessages() {
        return Collections.unmodifiableList(skippedLineMessages);
    }

    /** Whether bad lines are skipped rather than errors. */
    public boolean skipsBadLines() {
        return skipBadLines;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }

    @Override
    public void reset() {
        try {
            restart();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public List<Writable> record(URI uri, DataInputStream dataInputStream) throws IOException {
        Utf8LineReader reader = new Utf8LineReader(dataInputStream, describe(uri));
        String line;
        while ((line = reader.readLine()) != null) {
            if (!line.isBlank()) {
                return parse(line, reader, uri).writables();
            }
        }
        throw new CorpusFormatException(describe(uri), reader.lineNumber(), "no sentence pair in stream");
    }

    @Override
    public Record loadFromMetaData(RecordMetaData recordMetaData) throws IOException {
        if (!(recordMetaData instanceof RecordMetaDataLine meta)) {
            throw new IllegalArgumentException("expected RecordMetaDataLine, got " + recordMetaData);
        }
        URI uri = meta.getURI();
        try (Utf8LineReader reader = new Utf8LineReader(streamCreatorFn.apply(uri), describe(uri))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (reader.lineNumber() == meta.getLineNumber() + 1) {
                    return new org.datavec.api.records.impl.Record(parse(line, reader, uri).writables(), meta);
                }
            }
        }
        throw new IOException(describe(uri) + " has no line " + (meta.getLineNumber() + 1));
    }

    @Override
    public List<Record> loadFromMetaData(List<RecordMetaData> recordMetaDatas) throws IOException {
        List<Record> out = new ArrayList<>(recordMetaDatas.size());
        for (RecordMetaData meta : recordMetaDatas) {
            out.add(loadFromMetaData(meta));
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        if (lines != null) {
            lines.close();
            lines = null;
        }
    }

    @Override
    public void setConf(Configuration conf) {
        this.conf = conf;
    }

    @Override
    public Configuration getConf() {
        return conf;
    }

    /** A readable name for a location: the file path for {@code file:} URIs. */
    static String describe(URI uri) {
        if (uri == null) {
            return "<stream>";
        }
        if (uri.getScheme() == null || "file".equalsIgnoreCase(uri.getScheme())) {
            return new File(uri.getPath()).getPath();
        }
        return uri.toString();
    }

    private void restart() throws IOException {
        close();
        pending = null;
        skippedLines = 0;
        skippedLineMessages.clear();
        locationIndex = 0;
        open(0);
    }

    private void open(int index) {
        InputStream in = streamCreatorFn.apply(locations[index]);
        lines = new Utf8LineReader(in, describe(locations[index]));
    }

    private ParsedLine readNextValid() throws IOException {
        while (lines != null) {
            try {
                // Inside the try: a line of invalid UTF-8 is a bad line like any other (the reader has
                // consumed it, so the next read starts at the next line).
                String line = lines.readLine();
                if (line == null) {
                    close();
                    if (locationIndex + 1 < locations.length) {
                        locationIndex++;
                        open(locationIndex);
                    }
                    continue;
                }
                if (line.isBlank()) {
                    continue;
                }
                return parse(line, lines, locations[locationIndex]);
            } catch (CorpusFormatException e) {
                if (!skipBadLines) {
                    throw e;
                }
                skippedLines++;
                if (skippedLineMessages.size() < REPORTED_BAD_LINES) {
                    skippedLineMessages.add(e.getMessage());
                    LOG.warn("skipping bad line: {}", e.getMessage());
                }
            }
        }
        return null;
    }

    private static ParsedLine parse(String line, Utf8LineReader reader, URI uri) throws CorpusFormatException {
        int tab = line.indexOf('\t');
        if (tab < 0) {
            throw new CorpusFormatException(reader.origin(), reader.lineNumber(),
                    "no tab between source and target in \"" + abbreviate(line) + "\"");
        }
        int nextTab = line.indexOf('\t', tab + 1);
        String source = line.substring(0, tab).strip();
        String target = (nextTab < 0 ? line.substring(tab + 1) : line.substring(tab + 1, nextTab)).strip();
        if (source.isEmpty() || target.isEmpty()) {
            throw new CorpusFormatException(reader.origin(), reader.lineNumber(),
                    "empty " + (source.isEmpty() ? "source" : "target") + " field in \"" + abbreviate(line) + "\"");
        }
        return new ParsedLine(source, target, uri, reader.lineNumber());
    }

    private static String abbreviate(String line) {
        String shown = line.replace("\t", "\\t");
        return shown.length() <= 60 ? shown : shown.substring(0, 57) + "...";
    }
}
