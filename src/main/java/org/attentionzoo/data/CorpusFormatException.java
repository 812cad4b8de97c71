package org.attentionzoo.data;

import java.io.IOException;

/**
 * A text data file (parallel corpus or vocabulary) is malformed at a given line.
 *
 * <p>The message always starts with {@code "<origin>:<line>: "}, for example
 * {@code "train.tsv:3: no tab between source and target"}, where the line is 1-based. It is a
 * checked {@link IOException}; DataVec's {@code RecordReader.next()} cannot throw checked
 * exceptions, so {@link TsvPairRecordReader} throws it wrapped in an
 * {@link java.io.UncheckedIOException} whose message is the same.
 */
public class CorpusFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String origin;
    private final int line;

    /**
     * @param origin the file name or other description of the input
     * @param line   1-based line number
     * @param detail what is wrong
     */
    public CorpusFormatException(String origin, int line, String detail) {
        this(origin, line, detail, null);
    }

    /** Same as {@link #CorpusFormatException(String, int, String)}, with a cause. */
    public CorpusFormatException(String origin, int line, String detail, Throwable cause) {
        super(origin + ":" + line + ": " + detail, cause);
        this.origin = origin;
        this.line = line;
    }

    /** The file name or other description of the input. */
    public String origin() {
        return origin;
    }

    /** The 1-based line number. */
    public int line() {
        return line;
    }
}
