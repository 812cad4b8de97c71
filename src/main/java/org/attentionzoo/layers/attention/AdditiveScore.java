package org.attentionzoo.layers.attention;

/**
 * Additive score (Bahdanau et al. 2015, eq. 6 and appendix A.1.2):
 * <pre>
 *   e_ij = a(s_{i-1}, h_j) = v_aᵀ tanh(W_a s_{i-1} + U_a h_j)
 * </pre>
 * The same function as Luong's {@link ConcatScore} (W_a is its query block, U_a its key block);
 * the difference is the query: Bahdanau's decoder scores with the <em>previous</em> state s_{i-1}, inside
 * the recurrence, where Luong's uses the current state h_t. Kept as its own name so a model card says
 * which paper it follows. It inherits every form of the concat score: SameDiff, arrays, training pass and
 * decoding step.
 */
public final class AdditiveScore extends ConcatScore {

    public AdditiveScore(long queryDim, long keyDim, long attentionDim) {
        super(queryDim, keyDim, attentionDim);
    }
}
