package org.attentionzoo.layers.transformer;

import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * Multi-head scaled dot-product attention (Vaswani et al. 2017, section 3.2), the SameDiff computation
 * shared by {@link EncoderLayer} and {@link DecoderLayer}. Not a layer: a layer owns one or two of these,
 * each under its own parameter-key prefix.
 * <pre>
 *   Attention(Q, K, V) = softmax(Q Kᵀ / √d_k) V                                    (eq. 1)
 *   MultiHead(Q, K, V) = Concat(head_1, ..., head_h) W_O                             (section 3.2.2)
 *   head_i = Attention(Q W_Q^i, K W_K^i, V W_V^i),     d_k = d_v = d_model / h
 * </pre>
 * Parameters (keys after the owner's prefix): {@value #W_Q}, {@value #W_K}, {@value #W_V} of shape
 * [d_model, d_model] = [d_model, h·d_k], head i being columns i·d_k .. (i+1)·d_k − 1 (i.e. W_Q = [W_Q^1 | ... | W_Q^h]),
 * and {@value #W_O} [h·d_v, d_model] whose rows i·d_v .. (i+1)·d_v − 1 multiply head i. The paper's
 * equations have no biases, and neither does this helper by default; with {@code bias = true} the keys
 * {@value #B_Q}, {@value #B_K}, {@value #B_V}, {@value #B_O} [1, d_model] are added after each projection
 * (as PyTorch's {@code nn.MultiheadAttention} does). Weights start Xavier-uniform, biases at 0.
 *
 * <p>Masks: a key padding mask [mb, tK] (1 real, 0 padding) and optionally the causal mask (query t sees keys
 * s ≤ t). A masked key's score gets −1e9 before the softmax and its weight is then multiplied by 0, so it is
 * <em>exactly</em> 0 whatever its score; a query with no visible key gets all-zero weights and output W_O's bias.
 *
 * <p>Relation to libnd4j's {@code multi_head_dot_product_attention} ({@code sd.nn().multiHeadDotProductAttention}):
 * the same function without biases and without the causal mask, with their weights
 * {@code Wq[i, j, f] = W_Q[f, i·d_k + j]} ({@code W_Q.reshape(d_model, h, d_k).permute(1, 2, 0)}, same for
 * W_K and W_V) and {@code Wo = W_O} (shown in {@code MultiHeadAttentionAgreementTest}).
 */
public final class MultiHeadAttention {

    public static final String W_Q = "WQ";
    public static final String W_K = "WK";
    public static final String W_V = "WV";
    public static final String W_O = "WO";
    public static final String B_Q = "bQ";
    public static final String B_K = "bK";
    public static final String B_V = "bV";
    public static final String B_O = "bO";

    /** Score given to masked keys before the softmax: exp(−1e9 + ...) is 0 in float and double. */
    static final double MASKED_SCORE = -1e9;

    private final long dModel;
    private final long heads;
    private final boolean bias;

    /**
     * @param dModel d_model, divisible by {@code heads}
     * @param heads  h
     * @param bias   whether the four projections have biases
     */
    public MultiHeadAttention(long dModel, long heads, boolean bias) {
        if (dModel <= 0 || heads <= 0 || dModel % heads != 0) {
            throw new IllegalArgumentException("multi-head attention needs d_model > 0 divisible by h > 0; got d_model "
                    + dModel + ", h " + heads);
        }
        this.dModel = dModel;
        this.heads = heads;
        this.bias = bias;
    }

    public long dModel() {
        return dModel;
    }

    public long heads() {
        return heads;
    }

    /** d_k = d_v = d_model / h. */
    public long dK() {
        return dModel / heads;
    }

    public boolean hasBias() {
        return bias;
    }

    /** Declares the projections' parameters under {@code prefix}. */
    public void defineParameters(SDLayerParams params, String prefix) {
        for (String w : new String[]{W_Q, W_K, W_V, W_O}) {
            params.addWeightParam(prefix + w, dModel, dModel);
        }
        if (bias) {
            for (String b : new String[]{B_Q, B_K, B_V, B_O}) {
                params.addBiasParam(prefix + b, 1, dModel);
            }
        }
    }

    /** Xavier-uniform weights, zero biases. */
    public void initializeParameters(Map<String, INDArray> params, String prefix) {
        for (String w : new String[]{W_Q, W_K, W_V, W_O}) {
            Blocks.xavier(params.get(prefix + w), dModel, dModel);
        }
        if (bias) {
            for (String b : new String[]{B_Q, B_K, B_V, B_O}) {
                Blocks.fill(params.get(prefix + b), 0.0);
            }
        }
    }

    /**
     * @param queries [mb, tQ, d_model]
     * @param memory  keys and values [mb, tK, d_model] (the queries themselves for self-attention)
     * @param keyMask [mb, tK], or null for none
     * @param causal  whether query t may only see keys s ≤ t (needs tQ = tK)
     * @param params  the owner's parameters; this helper's are under {@code prefix}
     * @return output [mb, tQ, d_model] and weights [mb, h, tQ, tK]
     */
    public Result attend(SameDiff sd, SDVariable queries, SDVariable memory, SDVariable keyMask, boolean causal,
                         Map<String, SDVariable> params, String prefix) {
        return attend(sd, queries, memory, keyMask, causal, params, prefix, null);
    }

    /**
     * The same with dropout on the attention weights: the values are averaged with weights ⊙ {@code dropoutMask}
     * (a placeholder broadcastable to [mb, h, tQ, tK], see {@code InvertedDropout}; null for none). The weights
     * returned are those before dropout.
     */
    public Result attend(SameDiff sd, SDVariable queries, SDVariable memory, SDVariable keyMask, boolean causal,
                         Map<String, SDVariable> params, String prefix, SDVariable dropoutMask) {
        SDVariable q = splitHeads(sd, Blocks.linear(sd, queries, params.get(prefix + W_Q), bias(params, prefix, B_Q), dModel));
        SDVariable k = splitHeads(sd, Blocks.linear(sd, memory, params.get(prefix + W_K), bias(params, prefix, B_K), dModel));
        SDVariable v = splitHeads(sd, Blocks.linear(sd, memory, params.get(prefix + W_V), bias(params, prefix, B_V), dModel));
        SDVariable mask = null;                                                        // broadcastable to [mb, h, tQ, tK]
        if (keyMask != null) {
            mask = sd.expandDims(sd.expandDims(keyMask.castTo(q.dataType()), 1), 1);   // [mb, 1, 1, tK]
        }
        if (causal) {
            SDVariable c = causalMask(sd, q);                                           // [tQ, tK]
            mask = mask == null ? c : mask.mul(c);
        }
        SDVariable weights = scaledDotProductWeights(sd, q, k, mask, dK());            // [mb, h, tQ, tK]
        SDVariable used = dropoutMask == null ? weights : weights.mul(dropoutMask);
        SDVariable heads4 = sd.mmul(used, v);                                          // [mb, h, tQ, d_k]
        SDVariable concat = mergeHeads(sd, heads4);                                    // [mb, tQ, h·d_k]
        SDVariable out = Blocks.linear(sd, concat, params.get(prefix + W_O), bias(params, prefix, B_O), dModel);
        return new Result(out, weights);
    }

    /**
     * softmax(Q Kᵀ / √d_k) with masked keys at exactly 0.
     *
     * @param q    [mb, h, tQ, d_k]
     * @param k    [mb, h, tK, d_k]
     * @param mask 1/0, broadcastable to [mb, h, tQ, tK], or null
     * @return weights [mb, h, tQ, tK]
     */
    static SDVariable scaledDotProductWeights(SameDiff sd, SDVariable q, SDVariable k, SDVariable mask, long dK) {
        SDVariable scores = sd.mmul(q, k, false, true, false).mul(1.0 / Math.sqrt(dK));
        if (mask == null) {
            return sd.nn().softmax(scores, 3);
        }
        SDVariable blocked = mask.rsub(1.0).mul(MASKED_SCORE);
        return sd.nn().softmax(scores.add(blocked), 3).mul(mask);
    }

    /** [mb, t, h·d_k] → [mb, h, t, d_k]. */
    private SDVariable splitHeads(SameDiff sd, SDVariable x) {
        SDVariable lead = x.shape().get(SDIndex.interval(0, 2));                       // [mb, t]
        SDVariable shape = sd.concat(0, lead, sd.constant(Nd4j.createFromArray(heads, dK())).castTo(lead.dataType()));
        return sd.permute(sd.reshape(x, shape), 0, 2, 1, 3);
    }

    /** [mb, h, t, d_k] → [mb, t, h·d_k]. */
    private SDVariable mergeHeads(SameDiff sd, SDVariable x) {
        SDVariable perm = sd.permute(x, 0, 2, 1, 3);                                   // [mb, t, h, d_k]
        SDVariable lead = perm.shape().get(SDIndex.interval(0, 2));
        SDVariable shape = sd.concat(0, lead, sd.constant(Nd4j.createFromArray(dModel)).castTo(lead.dataType()));
        return sd.reshape(perm, shape);
    }

    /**
     * Lower-triangular ones [tQ, tK] (entry (t, s) = 1 iff s ≤ t) for q [mb, h, tQ, d_k] and tK = tQ: row and
     * column numbers as running sums of a matrix of ones, compared. (matrixBandPart fails op validation
     * for a 1 x 1 matrix in M2.1, which is the first step of decoding.)
     */
    private static SDVariable causalMask(SameDiff sd, SDVariable q) {
        SDVariable t = q.shape().get(SDIndex.interval(2, 3));
        SDVariable ones = sd.fill(sd.concat(0, t, t), q.dataType(), 1.0);               // [t, t]
        SDVariable row = sd.cumsum(ones, false, false, 0);                              // (i, j) -> i + 1
        SDVariable column = sd.cumsum(ones, false, false, 1);                           // (i, j) -> j + 1
        return sd.gte(row, column).castTo(q.dataType());                                // 1 iff j <= i
    }

    private SDVariable bias(Map<String, SDVariable> params, String prefix, String key) {
        return bias ? params.get(prefix + key) : null;
    }

    /**
     * @param output  [mb, tQ, d_model]
     * @param weights attention weights per head [mb, h, tQ, tK]
     */
    public record Result(SDVariable output, SDVariable weights) {
    }
}
