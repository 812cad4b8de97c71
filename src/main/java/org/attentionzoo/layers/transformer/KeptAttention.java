package org.attentionzoo.layers.transformer;

import org.attentionzoo.layers.KeptRows;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.attentionzoo.layers.KeptRows.linear;
import static org.attentionzoo.layers.KeptRows.mergeHeads;
import static org.attentionzoo.layers.KeptRows.mm;
import static org.attentionzoo.layers.KeptRows.splitHeads;

/**
 * Multi-head attention on rows with its forward pass kept for the backward pass: the function of
 * {@link MultiHeadAttention#attend} (masked keys at weight exactly 0, dropout on the weights), differentiated
 * by hand.
 * <pre>
 *   Q = X_q W_Q,  K = X_kv W_K,  V = X_kv W_V    (+ biases),  split into h heads of d_k columns
 *   P = softmax(Q Kᵀ / √d_k + (M − 1)·1e9),   A = P ⊙ M,   A' = A ⊙ D (dropout),   O = A' V,   out = O W_O (+ b_O)
 *   backward:  dO = d_out W_Oᵀ,  dA' = dO Vᵀ,  dV = A'ᵀ dO,  dA = dA' ⊙ D ⊙ M,
 *              dS = A ⊙ (dA − Σ_k dA ⊙ A) / √d_k,  dQ = dS K,  dK = dSᵀ Q,  then the projections' products
 * </pre>
 * M is 1 where a query may see a key (key mask, and k ≤ q when causal), D the dropout mask. (Where M is 0, P is
 * exp(−1e9) = 0 already unless a query sees no key at all; then A is 0 and so is its gradient.)
 */
final class KeptAttention {

    private final MultiHeadAttention mha;
    private final Map<String, INDArray> params;
    private final String prefix;
    private final long mb;
    private final INDArray queriesIn;
    private final INDArray memoryIn;
    private final INDArray q;            // [mb·h, tQ, d_k]
    private final INDArray k;            // [mb·h, tK, d_k]
    private final INDArray v;
    private final INDArray weights;      // A [mb·h, tQ, tK]
    private final INDArray used;         // A ⊙ D (A itself without dropout)
    private final INDArray visible;      // M [mb·h, tQ, tK]
    private final INDArray dropout;      // D, or null
    private final INDArray merged;       // O as rows [mb·tQ, d_model]
    private final INDArray output;

    /**
     * The forward pass.
     *
     * @param prefix  the attention's parameter-key prefix
     * @param queries rows [mb·tQ, d_model]
     * @param memory  rows [mb·tK, d_model] (the same array for self-attention)
     * @param keyMask [mb, tK] 1/0, or null for all visible
     * @param dropout dropout mask on the weights [mb, h, tQ, tK], or null
     */
    KeptAttention(MultiHeadAttention mha, Map<String, INDArray> params, String prefix, long mb, INDArray queries,
                  INDArray memory, INDArray keyMask, boolean causal, INDArray dropout) {
        this.mha = mha;
        this.params = params;
        this.prefix = prefix;
        this.mb = mb;
        this.queriesIn = queries;
        this.memoryIn = memory;
        long h = mha.heads();
        long tQ = queries.size(0) / mb;
        long tK = memory.size(0) / mb;
        q = splitHeads(linear(queries, param(MultiHeadAttention.W_Q), bias(MultiHeadAttention.B_Q)), mb, tQ, h);
        k = splitHeads(linear(memory, param(MultiHeadAttention.W_K), bias(MultiHeadAttention.B_K)), mb, tK, h);
        v = splitHeads(linear(memory, param(MultiHeadAttention.W_V), bias(MultiHeadAttention.B_V)), mb, tK, h);
        visible = visibility(keyMask, causal, mb, h, tQ, tK, queries.dataType());
        INDArray scores = mm(q, k, false, true).muli(1.0 / Math.sqrt(mha.dK()));
        scores.addi(visible.rsub(1.0).muli(MultiHeadAttention.MASKED_SCORE));
        weights = Nd4j.exec(new SoftMax(scores, scores, 2))[0].muli(visible);
        this.dropout = dropout == null ? null : dropout.reshape('c', mb * h, tQ, tK);
        used = this.dropout == null ? weights : weights.mul(this.dropout);
        merged = mergeHeads(mm(used, v, false, false), mb, h);
        output = linear(merged, param(MultiHeadAttention.W_O), bias(MultiHeadAttention.B_O));
    }

    /** The output rows [mb·tQ, d_model]. */
    INDArray output() {
        return output;
    }

    /**
     * As a residual sub-layer. Self-attention ({@code memoryGradient} null): the backward pass returns the sum of
     * the gradients reaching the queries and the keys/values, the same rows. Attention over a memory (the encoder
     * output): it returns the queries' gradient and adds the memory's to {@code memoryGradient[0]} (set when null).
     */
    KeptResidual.Sublayer asSublayer(INDArray[] memoryGradient) {
        return new KeptResidual.Sublayer() {
            @Override
            public INDArray output() {
                return output;
            }

            @Override
            public INDArray backward(INDArray dOut, Map<String, INDArray> grads) {
                INDArray[] d = KeptAttention.this.backward(dOut, grads);
                if (memoryGradient == null) {
                    return d[0].addi(d[1]);
                }
                memoryGradient[0] = memoryGradient[0] == null ? d[1] : memoryGradient[0].addi(d[1]);
                return d[0];
            }
        };
    }

    /**
     * Writes the projections' gradients into {@code grads} and returns dL/d(queries) and dL/d(memory); for
     * self-attention add the two.
     */
    INDArray[] backward(INDArray dOut, Map<String, INDArray> grads) {
        long h = mha.heads();
        long tQ = q.size(1);
        long tK = k.size(1);
        grads.get(prefix + MultiHeadAttention.W_O).assign(mm(merged, dOut, true, false));
        biasGradient(grads, MultiHeadAttention.B_O, dOut);
        INDArray dO = splitHeads(mm(dOut, param(MultiHeadAttention.W_O), false, true), mb, tQ, h);
        INDArray dUsed = mm(dO, v, false, true);                                       // [mb·h, tQ, tK]
        INDArray dV = mergeHeads(mm(used, dO, true, false), mb, h);                    // rows [mb·tK, d_model]
        INDArray dWeights = dropout == null ? dUsed.muli(visible) : dUsed.muli(dropout).muli(visible);
        INDArray dRows = dWeights.reshape('c', mb * h * tQ, tK);                       // views, row per query
        INDArray weightRows = weights.reshape('c', mb * h * tQ, tK);
        dRows.subiColumnVector(dRows.mul(weightRows).sum(true, 1)).muli(weightRows).muli(1.0 / Math.sqrt(mha.dK()));
        INDArray dScores = dWeights;
        INDArray dQ = mergeHeads(mm(dScores, k, false, false), mb, h);
        INDArray dK = mergeHeads(mm(dScores, q, true, false), mb, h);
        INDArray dQueries = projectBack(queriesIn, dQ, MultiHeadAttention.W_Q, MultiHeadAttention.B_Q, grads);
        INDArray dMemory = projectBack(memoryIn, dK, MultiHeadAttention.W_K, MultiHeadAttention.B_K, grads)
                .addi(projectBack(memoryIn, dV, MultiHeadAttention.W_V, MultiHeadAttention.B_V, grads));
        return new INDArray[]{dQueries, dMemory};
    }

    /** dW = xᵀ dy (and db = Σ dy) into the gradient views; returns dy Wᵀ. */
    private INDArray projectBack(INDArray x, INDArray dy, String weightKey, String biasKey, Map<String, INDArray> grads) {
        grads.get(prefix + weightKey).assign(mm(x, dy, true, false));
        biasGradient(grads, biasKey, dy);
        return mm(dy, param(weightKey), false, true);
    }

    private void biasGradient(Map<String, INDArray> grads, String key, INDArray dy) {
        if (mha.hasBias()) {
            grads.get(prefix + key).assign(KeptRows.columnSums(dy));
        }
    }

    private INDArray param(String key) {
        return params.get(prefix + key);
    }

    private INDArray bias(String key) {
        return mha.hasBias() ? param(key) : null;
    }

    /** M [mb·h, tQ, tK]: 1 where query q of sequence b may see key s (key mask, causal order). */
    static INDArray visibility(INDArray keyMask, boolean causal, long mb, long h, long tQ, long tK, DataType type) {
        double[][] keys = keyMask == null ? null : keyMask.toDoubleMatrix();
        double[] m = new double[Math.toIntExact(mb * h * tQ * tK)];
        int at = 0;
        for (int b = 0; b < mb; b++) {
            for (int head = 0; head < h; head++) {
                for (int t = 0; t < tQ; t++) {
                    for (int s = 0; s < tK; s++, at++) {
                        boolean seen = (keys == null || keys[b][s] != 0) && (!causal || s <= t);
                        m[at] = seen ? 1 : 0;
                    }
                }
            }
        }
        return Nd4j.create(m, new long[]{mb * h, tQ, tK}, type);
    }
}
