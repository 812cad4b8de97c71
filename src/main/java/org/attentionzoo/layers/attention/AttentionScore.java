package org.attentionzoo.layers.attention;

import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * An attention score function e = score(query, key): how well each source state (key) h̄_s matches
 * a decoder state (query) h_t. The softmax of the scores over the source gives the alignment weights.
 *
 * <p>Shapes (batch-major, time in the middle): queries {@code [mb, tQ, dQ]}, keys {@code [mb, tK, dK]},
 * scores {@code [mb, tQ, tK]}. Work that depends only on the keys (such as W_a h̄_s) is done once in
 * {@link #prepareKeys} and reused for every query, which matters when the queries come one step at a
 * time inside a recurrent decoder.
 *
 * <p>Each score holds every form of its function: the SameDiff form (the definition, for the graphs), the
 * same math on arrays ({@link #scores(INDArray, INDArray, Map)}), the hand-written training pass with its
 * backward pass ({@link #training}, run by {@link KeptLuongAttention}), and the one-query decoding step on float
 * rows ({@link #queryStep}, run by the incremental decoders, or null for the array form). {@code ScoreFormsTest}
 * holds every form of every {@link ScoreType} equal to the others and to hand-computed values; adding a score is
 * one class, one {@link ScoreType} constant and one row of that test.
 *
 * <p>Implementations are stateless apart from their sizes; their parameters live in the enclosing
 * layer's parameter table. Keys contain no underscore: DL4J splits "vertex_param" at the underscore.
 */
public interface AttentionScore {

    /** Declares this score's parameters on the enclosing layer. */
    void defineParameters(SDLayerParams params);

    /** Initialises this score's parameters (the map holds views into the layer's parameters). */
    void initializeParameters(Map<String, INDArray> params);

    /**
     * Key-side precomputation, once per source sentence.
     *
     * @param keys [mb, tK, dK]
     * @return what {@link #scores} needs of the keys (the keys themselves for the dot score)
     */
    SDVariable prepareKeys(SameDiff sd, SDVariable keys, Map<String, SDVariable> params);

    /**
     * @param queries      [mb, tQ, dQ]
     * @param preparedKeys the result of {@link #prepareKeys}
     * @return scores e [mb, tQ, tK]
     */
    SDVariable scores(SameDiff sd, SDVariable queries, SDVariable preparedKeys, Map<String, SDVariable> params);

    /**
     * {@link #prepareKeys(SameDiff, SDVariable, Map)} on arrays.
     *
     * @param keys   [mb, tK, dK]
     * @param params the enclosing layer's parameter table
     */
    INDArray prepareKeys(INDArray keys, Map<String, INDArray> params);

    /**
     * {@link #scores(SameDiff, SDVariable, SDVariable, Map)} on arrays.
     *
     * @param queries      [mb, tQ, dQ]
     * @param preparedKeys the result of {@link #prepareKeys(INDArray, Map)}
     * @return scores e [mb, tQ, tK]
     */
    INDArray scores(INDArray queries, INDArray preparedKeys, Map<String, INDArray> params);

    /**
     * The training forward pass on arrays, keeping what its backward pass needs.
     *
     * @param queries Q [mb, tQ, dQ]
     * @param keys    K [mb, tK, dK]
     * @param params  the enclosing layer's parameter table
     */
    Training training(INDArray queries, INDArray keys, Map<String, INDArray> params);

    /** A kept training forward pass E = score(Q, K) and its backward pass. */
    interface Training {

        /** @return E [mb, tQ, tK] */
        INDArray scores();

        /**
         * Adds this score's share of dL/dQ and dL/dK and writes its parameters' gradients.
         *
         * @param dScores dL/dE [mb, tQ, tK]
         * @param dQ      dL/dQ as rows [mb·tQ, dQ], added to
         * @param dK      dL/dK [mb, tK, dK], added to
         * @param grads   the parameters' gradients by name, assigned
         */
        void backward(INDArray dScores, INDArray dQ, INDArray dK, Map<String, INDArray> grads);
    }

    /**
     * The one-query decoding step on float rows: e_s for one query row against its own block of prepared keys,
     * for a loop over the arrays' memory. Null when this score has none (or these parameters cannot be read
     * that way); the decoder then uses {@link #scores(INDArray, INDArray, Map)}, the generic form.
     */
    default QueryStep queryStep(Map<String, INDArray> params) {
        return null;
    }

    /** The one-query form of a score: the query-side work on arrays, then e_s per key from float rows. */
    interface QueryStep {

        /**
         * @param queries one query per row, [rows, dQ]
         * @return the query rows {@link #rowScore} reads, [rows, dP], dP the prepared keys' width
         */
        INDArray prepareQueries(INDArray queries);

        /** A scorer with its own scratch space (one per loop, not shared between threads). */
        RowScore rowScore();

        /**
         * e_s = q · k_s over d values with the query as it is: the dot score's step, and the general score's once
         * its keys are W_a h̄_s.
         */
        static QueryStep dot(int d) {
            return new QueryStep() {
                @Override
                public INDArray prepareQueries(INDArray queries) {
                    return queries;
                }

                @Override
                public RowScore rowScore() {
                    return RowScore.scaledDot(d, 1.0);
                }
            };
        }
    }

    /** e_s from one prepared query row q [dP] and its key block k [tK · dP] (row-major, key s at s · dP). */
    @FunctionalInterface
    interface RowScore {
        double of(float[] q, float[] k, int s);

        /** scale · q · k_s over d values: the dot and general scores (scale 1), the Transformer's (1/√d_k). */
        static RowScore scaledDot(int d, double scale) {
            return (q, k, s) -> {
                double dot = 0;
                for (int j = 0, at = s * d; j < d; j++, at++) {
                    dot += q[j] * k[at];
                }
                return dot * scale;
            };
        }
    }
}
