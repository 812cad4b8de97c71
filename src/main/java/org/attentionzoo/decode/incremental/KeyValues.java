package org.attentionzoo.decode.incremental;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
}
