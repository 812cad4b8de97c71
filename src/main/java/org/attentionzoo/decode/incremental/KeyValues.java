package org.attentionzoo.decode.incremental;

import org.attentionzoo.util.DirectBuffers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;

/**
 * The keys and values one multi-head attention attends over, split into heads: K = M W_K and V = M W_V
 * of a memory M, each [n, h, t, d_k] (row, head, memory position, feature). For the decoder's
 * self-attention they are the cache of the positions decoded so far; for its cross-attention, those of
 * the encoder output, computed once per sentence.
 */
record KeyValues(INDArray keys, INDArray values) {

    /** Number of memory positions t. */
    long length() {
        return keys.size(2);
    }

    /** These positions followed by {@code next}'s (along the position axis): the cache after one more step. */
    KeyValues append(KeyValues next) {
        return new KeyValues(Nd4j.concat(2, keys, next.keys), Nd4j.concat(2, values, next.values));
    }

    /**
     * Rows {@code rows} of this cache, each followed by its row of {@code next} [n, h, 1, d_k]: the cache of a
     * beam's hypotheses after one more step, from their parents' rows, in one pass. For float arrays the result
     * is made outside any workspace ({@link #isFresh}), ready to outlive the step; otherwise it is the rows
     * gathered and {@link #append}ed in the current workspace (fresh too when no workspace is open).
     */
    KeyValues appendRows(int[] rows, KeyValues next) {
        return new KeyValues(appendRows(keys, rows, next.keys), appendRows(values, rows, next.values));
    }

    /** Whether these arrays live outside any workspace (as {@link #appendRows} makes them for float caches). */
    boolean isFresh() {
        return !keys.isAttached() && !values.isAttached();
    }

    /** [N, h, t, d] rows {@code rows}, then [n, h, 1, d] → [n, h, t + 1, d]. */
    private static INDArray appendRows(INDArray cache, int[] rows, INDArray next) {
        long n = rows.length;
        long heads = cache.size(1);
        long t = cache.size(2);
        long d = cache.size(3);
        if (next.size(0) != n || next.size(1) != heads || next.size(2) != 1 || next.size(3) != d) {
            throw new IllegalArgumentException("cannot append " + java.util.Arrays.toString(next.shape()) + " to "
                    + n + " rows of " + java.util.Arrays.toString(cache.shape()));
        }
        for (int r : rows) {
            if (r < 0 || r >= cache.size(0)) {
                throw new IllegalArgumentException("row " + r + " of a cache of " + cache.size(0));
            }
        }
        if (cache.dataType() != DataType.FLOAT || next.dataType() != DataType.FLOAT
                || !DirectBuffers.denseRowMajor(cache) || !DirectBuffers.denseRowMajor(next)
                || (n * heads * (t + 1) * d) > Integer.MAX_VALUE) {
            return Nd4j.concat(2, RowState.selectRows(cache, rows), next);
        }
        INDArray out;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            out = Nd4j.createUninitialized(DataType.FLOAT, new long[]{n, heads, t + 1, d}, 'c');
        }
        FloatBuffer from = DirectBuffers.floats(cache);
        FloatBuffer added = DirectBuffers.floats(next);
        FloatBuffer to = DirectBuffers.floats(out);
        int block = (int) (t * d);
        int dk = (int) d;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < heads; j++) {
                int at = (int) ((i * heads + j) * (t + 1) * d);
                to.put(at, from, (int) ((rows[i] * heads + j) * t * d), block);
                to.put(at + block, added, (int) ((i * heads + j) * d), dk);
            }
        }
        return out;
    }
}
