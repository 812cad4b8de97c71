package org.attentionzoo.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads lines of strict UTF-8 from a byte stream, knowing the line number of every line.
 *
 * <p>Lines end at LF; a CR before the LF is dropped (CRLF files work). A UTF-8 byte order mark at
 * the start of the stream is skipped. Bytes that are not valid UTF-8 raise a
 * {@link CorpusFormatException} naming the origin and the line. Decoding line by line (rather
 * than through a buffered {@link java.io.Reader}, which decodes ahead) is what makes the line
 * number of an encoding error exact.
 */
public final class Utf8LineReader implements Closeable {

    private final InputStream in;
    private final String origin;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private int lineNumber;
    private boolean atEnd;

    /**
     * @param in     the bytes to read; closed by {@link #close()}
     * @param origin name used in error messages, usually the file name
     */
    public Utf8LineReader(InputStream in, String origin) {
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
        this.origin = origin;
    }

    /**
     * Returns the next line without its terminator, or null at the end of the stream.
     *
     * @throws CorpusFormatException if the line is not valid UTF-8
     * @throws IOException           if reading fails
     */
    public String readLine() throws IOException {
        if (atEnd) {
            return null;
        }
        buffer.reset();
        int b;
        boolean sawAny = false;
        while ((b = in.read()) != -1) {
            sawAny = true;
            if (b == '\n') {
                break;
            }
            buffer.write(b);
        }
        if (b == -1) {
            atEnd = true;
            if (!sawAny) {
                return null;
            }
        }
        lineNumber++;
        byte[] bytes = buffer.toByteArray();
        int start = 0;
        int end = bytes.length;
        if (lineNumber == 1 && end >= 3
                && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            start = 3;
        }
        if (end > start && bytes[end - 1] == '\r') {
            end--;
        }
        try {
            decoder.reset();
            return decoder.decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
        } catch (CharacterCodingException e) {
            throw new CorpusFormatException(origin, lineNumber, "invalid UTF-8 bytes ("
                    + e.getClass().getSimpleName() + "); is the file saved as UTF-8?", e);
        }
    }

    /** The 1-based number of the line last returned by {@link #readLine()} (0 before the first). */
    public int lineNumber() {
        return lineNumber;
    }

    /** The origin used in error messages. */
    public String origin() {
        return origin;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
