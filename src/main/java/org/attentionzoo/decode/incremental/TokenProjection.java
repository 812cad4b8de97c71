package org.attentionzoo.decode.incremental;

import org.attentionzoo.util.DirectBuffers;
import org.attentionzoo.util.DirectMatmul;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An embedding followed by a product, looked up instead of multiplied: the first LSTM layer's input product of
 * an embedded token, (E y) W = (E W)[y], read from the table T = E W [V, m] computed once. One row of T costs a
 * copy of m floats where the product costs e·m multiply-adds per row (luong-general's decoder: [64, 256] x
 * [256, 1024] at every step of batch-64 decoding; its encoder likewise).
 *
 * <p>The table is a copy of what the parameters imply, computed again after training steps ({@link DerivedArray}),
 * one per graph, shared by its decoding workers. Tables within {@link #MAX_BYTES_PROPERTY} (default 64 MiB
 * each: V = 8000, m = 1024 takes 33 MB in float) are built; for larger ones {@link #of} returns null and the
 * caller multiplies. luong-general at the benchmark's size holds 66 MB of tables (decoder 33, the encoder's two
 * directions 16 each).
 */
final class TokenProjection {

    /** System property: the largest table, in bytes, built per step model (0 turns tables off). */
    static final String MAX_BYTES_PROPERTY = "attentionzoo.tokenProjectionMaxBytes";

    private static final long DEFAULT_MAX_BYTES = 64L << 20;

    private final DerivedArray table;

    private TokenProjection(DerivedArray table) {
        this.table = table;
    }

    /**
     * The lookup of E W, or null when the table would exceed the size limit.
     *
     * @param layer     the layer whose input product this is, naming the table among the graph's (e.g. decoder_0)
     * @param embedding E [V, e], a layer of {@code graph}
     * @param weights   W [e, m], parameters of {@code graph} (a view is fine)
     */
    static TokenProjection of(ComputationGraph graph, String layer, TokenEmbedding embedding, INDArray weights) {
        DataType type = embedding.dataType();
        long bytes = embedding.vocabularySize() * weights.size(1) * type.width();
        if (!type.isFPType() || weights.dataType() != type || bytes > Long.getLong(MAX_BYTES_PROPERTY, DEFAULT_MAX_BYTES)) {
            return null;
        }
        if (embedding.width() != weights.size(0)) {
            throw new IllegalArgumentException("embedding width " + embedding.width() + " does not match the product's "
                    + weights.size(0) + " input rows");
        }
        return new TokenProjection(DerivedArray.of(graph, layer + " token projection",
                () -> DirectMatmul.mmul(embedding.table(), weights)));
    }

    /** (E W)[tokens]: [rows, m], a new array (in the current workspace, if any). */
    INDArray rows(int[] tokens) {
        return DirectBuffers.gatherRows(table.get(), tokens);
    }
}
