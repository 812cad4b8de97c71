package org.attentionzoo.decode.incremental;

import org.attentionzoo.util.DirectBuffers;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An embedding followed by a product, looked up instead of multiplied: the first LSTM layer's input product of
 * an embedded token, (E y) W = (E W)[y], read from the table T = E W [V, m] computed once. One row of T costs a
 * copy of m floats where the product costs e·m multiply-adds per row (luong-general's decoder: [64, 256] x
 * [256, 1024] at every step of batch-64 decoding, about 6% of the step; its encoder likewise).
 *
 * <p>The table is a copy of what the parameters imply, computed again after training steps ({@link DerivedArray}).
 * Models whose table stays within {@link #MAX_BYTES_PROPERTY} (default 64 MiB: V = 8000, m = 1024
 * takes 33 MB in float) get one; for the others {@link #of} returns null and the caller multiplies.
 */
final class TokenProjection {

    /** System property: the largest table, in bytes, built per step model (0 turns tables off). */
    static final String MAX_BYTES_PROPERTY = "attentionzoo.tokenProjectionMaxBytes";

    private static final long DEFAULT_MAX_BYTES = 64L << 20;

    private final DerivedArray table;

    private TokenProjection(ComputationGraph graph, TokenEmbedding embedding, INDArray weights) {
        this.table = new DerivedArray(graph, () -> {
            INDArray e = embedding.table();
            return e.mmul(weights, Nd4j.createUninitialized(e.dataType(), new long[]{e.size(0), weights.size(1)}, 'c'));
        });
    }

    /**
     * The lookup of E W, or null when the table would exceed the size limit.
     *
     * @param embedding E [V, e], a layer of {@code graph}
     * @param weights   W [e, m], parameters of {@code graph} (a view is fine)
     */
    static TokenProjection of(ComputationGraph graph, TokenEmbedding embedding, INDArray weights) {
        DataType type = embedding.dataType();
        long bytes = embedding.vocabularySize() * weights.size(1) * type.width();
        if (!type.isFPType() || weights.dataType() != type || bytes > Long.getLong(MAX_BYTES_PROPERTY, DEFAULT_MAX_BYTES)) {
            return null;
        }
        if (embedding.width() != weights.size(0)) {
            throw new IllegalArgumentException("embedding width " + embedding.width() + " does not match the product's "
                    + weights.size(0) + " input rows");
        }
        return new TokenProjection(graph, embedding, weights);
    }

    /** (E W)[tokens]: [rows, m], a new array (in the current workspace, if any). */
    INDArray rows(int[] tokens) {
        return DirectBuffers.gatherRows(table.get(), tokens);
    }
}
