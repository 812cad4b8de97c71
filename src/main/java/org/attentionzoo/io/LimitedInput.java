package org.attentionzoo.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that counts the bytes it hands out (after inflating) and fails, naming the entry, as
 * soon as more than {@code limit} are asked for, so a small zip entry that inflates to gigabytes costs
 * at most {@code limit} bytes of reading before it is refused. A zip's declared sizes can lie; the
 * count cannot.
 */
final class LimitedInput extends FilterInputStream {

    private final long limit;
    private final String where;
    private long count;

    /**
     * @param where what the bytes are, for the message (such as {@code model.zip!/graph.zip})
     */
    LimitedInput(InputStream in, long limit, String where) {
        super(in);
        this.limit = limit;
        this.where = where;
    }

    /** The bytes read so far. */
    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, (int) Math.min(len, limit - count + 1));
        if (n > 0) {
            add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long s = in.skip(Math.min(n, limit - count + 1));
        if (s > 0) {
            add(s);
        }
        return s;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void add(long n) throws IOException {
        count += n;
        if (count > limit) {
            throw new IOException(where + ": larger than the " + String.format(java.util.Locale.ROOT, "%,d", limit)
                    + " bytes a model part may have here; refused");
        }
    }
}
