package org.attentionzoo.decode.incremental;

import org.attentionzoo.layers.transformer.MultiHeadAttention;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * One multi-head attention of a trained layer (the parameters under one prefix of a
 * {@link MultiHeadAttention}), run eagerly for a single query position per row:
 * <pre>
 *   MultiHead(q, K, V) = Concat(head_1, ..., head_h) W_O,    head_i = softmax(q W_Q^i K_iᵀ / √d_k) V_i
 *   K_i = M W_K^i,  V_i = M W_V^i                               (Vaswani et al. 2017, eq. 1 and section 3.2.2)
 * </pre>
 * with d_k = d_model / h, head i using columns i·d_k … (i+1)·d_k − 1 of W_Q, W_K, W_V and rows i·d_k … of W_O,
 * and the optional biases after each projection, as {@link MultiHeadAttention} defines them. K and V are
 * computed once per memory ({@link #keyValues}) and reused by every query ({@link #attend}).
 */
final class StepAttention {

    /**
     * Up to this many sequences {@link #attendWithin} loops over the queries ({@link OneQueryAttention}), faster for a
     * few short sequences; more go to batched matrix products.
     */
    static final int LOOPED_SENTENCES = 4;

    private final long heads;
    private final long dK;
    private final INDArray wQ;
    private final INDArray wK;
    private final INDArray wV;
    private final INDArray wO;
    private final INDArray bQ;
    private final INDArray bK;
    private final INDArray bV;
    private final INDArray bO;

    /**
     * @param config the layer's attention configuration
     * @param params the layer's parameter table
     * @param prefix the attention's key prefix in it ("self", "cross", or "" for an encoder layer)
     */
    StepAttention(MultiHeadAttention config, Map<String, INDArray> params, String prefix) {
        this.heads = config.heads();
        this.dK = config.dK();
        this.wQ = GraphLayers.param(params, prefix + MultiHeadAttention.W_Q);
        this.wK = GraphLayers.param(params, prefix + MultiHeadAttention.W_K);
        this.wV = GraphLayers.param(params, prefix + MultiHeadAttention.W_V);
        this.wO = GraphLayers.param(params, prefix + MultiHeadAttention.W_O);
        boolean bias = config.hasBias();
        this.bQ = bias ? GraphLayers.param(params, prefix + MultiHeadAttention.B_Q) : null;
        this.bK = bias ? GraphLayers.param(params, prefix + MultiHeadAttention.B_K) : null;
        this.bV = bias ? GraphLayers.param(params, prefix + MultiHeadAttention.B_V) : null;
        this.bO = bias ? GraphLayers.param(params, prefix + MultiHeadAttention.B_O) : null;
    }

    /**
     * K = M W_K (+ b_K) and V = M W_V (+ b_V), split into heads.
     *
     * @param memory [n, t, d_model]
     * @return keys and values [n, h, t, d_k]
     */
    KeyValues keyValues(INDArray memory) {
        long n = memory.size(0);
        long t = memory.size(1);
        INDArray rows = memory.reshape('c', n * t, memory.size(2));
        return new KeyValues(splitHeads(StepMath.linear(rows, wK, bK), n, t),
                splitHeads(StepMath.linear(rows, wV, bV), n, t));
    }

    /**
     * The attention output for one query position per row.
     *
     * @param query   [n, d_model]: the attention's input at the current position
     * @param memory  keys and values [n, h, tK, d_k]
     * @param keyMask [n, tK] (1 real, 0 padding), or null when every key is visible
     * @return [n, d_model]
     */
    INDArray attend(INDArray query, KeyValues memory, INDArray keyMask) {
        long n = query.size(0);
        INDArray projected = StepMath.linear(query, wQ, bQ);                            // [n, h·d_k]
        INDArray perHead = projected.reshape('c', n * heads, dK);                     // row (i, j): q_ij
        if (OneQueryAttention.applies(perHead, memory.keys(), memory.values(), keyMask)) {
            INDArray concat = OneQueryAttention.context(perHead, memory.keys(), memory.values(), 1, keyMask, (int) heads,
                    1.0 / Math.sqrt(dK)).reshape('c', n, heads * dK);                     // Concat(head_1, …, head_h)
            return StepMath.linear(concat, wO, bO);
        }
        INDArray q = splitHeads(projected, n, 1);                                       // [n, h, 1, d_k]
        INDArray weights = weights(q, memory.keys(), keyMask);                          // [n, h, 1, tK]
        INDArray heads4 = Nd4j.matmul(weights, memory.values());                        // [n, h, 1, d_k]
        INDArray concat = heads4.reshape('c', n, heads * dK);                           // [n, h·d_k]
        return StepMath.linear(concat, wO, bO);
    }

    /**
     * {@link #attend} with each row attending over its sentence's memory, read in place: the keys and values of
     * every sentence are shared by its rows (a beam's hypotheses), never copied per row.
     *
     * @param query     [n, d_model]
     * @param memory    the sentences' keys and values [mb, h, tK, d_k]
     * @param keyMask   the sentences' mask [mb, tK], or null when every key is visible
     * @param sentences row i's sentence, in 0 … mb − 1
     * @return [n, d_model]
     */
    INDArray attendSentences(INDArray query, KeyValues memory, INDArray keyMask, int[] sentences) {
        long n = query.size(0);
        INDArray projected = StepMath.linear(query, wQ, bQ);                            // [n, h·d_k]
        INDArray perHead = projected.reshape('c', n * heads, dK);                     // row (i, j): q_ij
        if (!OneQueryAttention.applies(perHead, memory.keys(), memory.values(), keyMask)) {    // doubles: gathered rows
            return attend(query, new KeyValues(RowState.selectRows(memory.keys(), sentences),
                    RowState.selectRows(memory.values(), sentences)), keyMask == null ? null : RowState.selectRows(keyMask, sentences));
        }
        INDArray concat = OneQueryAttention.contextOfSentences(perHead, memory.keys(), memory.values(), sentences,
                (int) heads, keyMask, 1.0 / Math.sqrt(dK)).reshape('c', n, heads * dK);  // Concat(head_1, …, head_h)
        return StepMath.linear(concat, wO, bO);
    }

    /**
     * Self-attention of every position of each sequence over that sequence (the encoder's: no causal mask),
     * for float arrays.
     *
     * @param x       the attention's input, [n·T, d_model], row (i, t) = position t of sequence i
     * @param keyMask [n, T], 1 for real positions
     * @return [n·T, d_model]
     */
    INDArray attendWithin(INDArray x, int n, int t, INDArray keyMask) {
        KeyValues memory = keyValues(x.reshape('c', n, t, x.size(1)));                  // [n, h, T, d_k]
        if (n > LOOPED_SENTENCES) {                        // batched products: softmax(Q Kᵀ / √d_k) V per head
            INDArray q = splitHeads(StepMath.linear(x, wQ, bQ), n, t);                  // [n, h, T, d_k]
            INDArray heads4 = Nd4j.matmul(weights(q, memory.keys(), keyMask), memory.values());   // [n, h, T, d_k]
            INDArray concat = heads4.permute(0, 2, 1, 3).dup('c').reshape('c', (long) n * t, heads * dK);
            return StepMath.linear(concat, wO, bO);
        }
        INDArray q = StepMath.linear(x, wQ, bQ).reshape('c', n, t, heads, dK).permute(0, 2, 1, 3).dup('c')
                .reshape('c', n * heads * t, dK);                                       // row ((i, j), t)
        if (!OneQueryAttention.applies(q, memory.keys(), memory.values(), keyMask)) {
            throw new IllegalArgumentException("attendWithin reads float arrays; got " + x.dataType());
        }
        INDArray heads4 = OneQueryAttention.context(q, memory.keys(), memory.values(), t, keyMask, (int) heads * t,
                1.0 / Math.sqrt(dK));                                                   // [n·h·T, d_k]
        INDArray concat = heads4.reshape('c', n, heads, t, dK).permute(0, 2, 1, 3).dup('c').reshape('c', (long) n * t, heads * dK);
        return StepMath.linear(concat, wO, bO);
    }

    /**
     * softmax(q Kᵀ / √d_k) over the keys; a masked key gets score −1e9 and then weight exactly 0, as in
     * {@link MultiHeadAttention}.
     */
    private INDArray weights(INDArray q, INDArray k, INDArray keyMask) {
        INDArray scores = Nd4j.matmul(q, k, false, true, false).muli(1.0 / Math.sqrt(dK));
        if (keyMask == null) {
            return Nd4j.exec(new SoftMax(scores, 3))[0];
        }
        INDArray mask = keyMask.reshape('c', keyMask.size(0), 1, 1, keyMask.size(1)).castTo(scores.dataType());
        INDArray blocked = mask.rsub(1.0).muli(-1e9);
        INDArray w = Nd4j.exec(new SoftMax(scores.add(blocked), 3))[0];
        return w.muli(mask);
    }

    /**
     * [n·t, h·d_k] → [n, h, t, d_k] (c order): row (i, s) of the projection, head j = its columns j·d_k … .
     */
    private INDArray splitHeads(INDArray projected, long n, long t) {
        return projected.reshape('c', n, t, heads, dK).permute(0, 2, 1, 3).dup('c');
    }
}
