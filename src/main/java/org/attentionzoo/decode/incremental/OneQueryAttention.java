package org.attentionzoo.decode.incremental;

import org.attentionzoo.layers.attention.AttentionScore;
import org.attentionzoo.util.DirectBuffers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * Dot-product attention (or any score's one-query step, {@link AttentionScore.QueryStep}) of one query per row over
 * that row's own keys and values, as one loop over the arrays' memory: for row r,
 * <pre>
 *   e_s = scale · q_r · k_rs       over the visible keys s (mask 1)
 *   a   = softmax(e)               exp(e_s − max e), summed in double
 *   c_r = Σ_s a_s v_rs
 * </pre>
 * A masked key gets weight 0, as {@link org.attentionzoo.layers.attention.MaskedSoftmax} and the
 * Transformer's −1e9 scores give it. It serves a decoding step, where ND4J would run it as about ten
 * operations on arrays with one query row each (batched products, masking, softmax), each a dispatch and an
 * output array. Float arrays with dense
 * rows only ({@link #applies}).
 */
final class OneQueryAttention {

    private OneQueryAttention() {
    }

    /** Whether {@link #context} can read these arrays (float; rows, keys and values dense and row-major). */
    static boolean applies(INDArray queries, INDArray keys, INDArray values, INDArray mask) {
        return DirectBuffers.floatRows(queries) && dense(keys) && dense(values) && (mask == null || DirectBuffers.floatRows(mask));
    }

    /**
     * @param queries        q [rows, d]
     * @param keys           k, blocks × tK × d values in that order, one block per {@code queriesPerBlock}
     *                       consecutive query rows (e.g. [n, h, tK, d_k]: blocks = n·h)
     * @param values         v, blocks × tK × dV values
     * @param queriesPerBlock how many consecutive query rows read one block of keys and values (1 for one query
     *                       per row; T for all positions of a sequence attending to that sequence)
     * @param mask           [rows / rowsPerMaskRow, tK], 1 visible and 0 masked, or null when all are visible
     * @param rowsPerMaskRow how many consecutive rows share a mask row (the heads of one sentence)
     * @param scale          the factor on q · k (1/√d_k for the Transformer, 1 for Luong's dot and general)
     * @return the contexts [rows, dV]
     */
    static INDArray context(INDArray queries, INDArray keys, INDArray values, int queriesPerBlock, INDArray mask,
                            int rowsPerMaskRow, double scale) {
        return context(queries, keys, values, queriesPerBlock, mask, rowsPerMaskRow, scale, null);
    }

    /**
     * As {@link #context(INDArray, INDArray, INDArray, int, INDArray, int, double)}, also writing each row's
     * weights a into {@code weights} when it is not null.
     *
     * @param weights null, or a dense row-major float array [rows, tK] to receive a (0 at masked keys)
     */
    static INDArray context(INDArray queries, INDArray keys, INDArray values, int queriesPerBlock, INDArray mask,
                            int rowsPerMaskRow, double scale, INDArray weights) {
        int blocks = (int) queries.size(0) / queriesPerBlock;
        if (queries.size(0) % queriesPerBlock != 0) {
            throw new IllegalArgumentException(queries.size(0) + " queries are not blocks of " + queriesPerBlock);
        }
        return attend(queries, keys, values, blocks, r -> r / queriesPerBlock, mask, r -> r / rowsPerMaskRow, weights,
                AttentionScore.RowScore.scaledDot((int) queries.size(1), scale));
    }

    /**
     * Multi-head attention of one query per (row, head) over the keys and values of the row's sentence, read in
     * place: no per-row copy of the sentence's memory is made (a beam's hypotheses share their sentence's), so a
     * decoding step costs no gather of the encoder output however its rows change from step to step.
     *
     * @param queries   q [n·h, d], row (i, j) = head j of row i
     * @param keys      the sentences' keys [mb, h, tK, d]
     * @param values    the sentences' values [mb, h, tK, dV]
     * @param sentences row i's sentence, in 0 … mb − 1
     * @param heads     h
     * @param mask      the sentences' key mask [mb, tK] (1 visible, 0 masked), or null when all are visible
     * @param scale     the factor on q · k
     * @return the contexts [n·h, dV]
     */
    static INDArray contextOfSentences(INDArray queries, INDArray keys, INDArray values, int[] sentences, int heads,
                                       INDArray mask, double scale) {
        if (queries.size(0) != (long) sentences.length * heads) {
            throw new IllegalArgumentException(queries.size(0) + " query rows for " + sentences.length + " rows of "
                    + heads + " heads");
        }
        return attend(queries, keys, values, (int) keys.size(0) * heads, r -> sentences[r / heads] * heads + r % heads,
                mask, r -> sentences[r / heads], null, AttentionScore.RowScore.scaledDot((int) queries.size(1), scale));
    }

    /**
     * The attention of one query per row over that row's own keys with a score's one-query step
     * ({@link AttentionScore.QueryStep}): for row r, e_s = score(q_r, k_rs) over the visible keys, a = softmax(e),
     * c_r = Σ_s a_s v_rs.
     *
     * @param preparedQueries the step's prepared queries [rows, dP]
     * @param keys            the prepared keys [rows, tK, dP]
     * @param values          h̄ [rows, tK, dV]
     * @param mask            [rows, tK], 1 visible and 0 masked, or null when all are visible
     * @param weights         null, or a dense row-major float array [rows, tK] to receive the weights a
     * @param score           the score of one query row against one key
     * @return the contexts [rows, dV]
     */
    static INDArray context(INDArray preparedQueries, INDArray keys, INDArray values, INDArray mask, INDArray weights,
                            AttentionScore.RowScore score) {
        return attend(preparedQueries, keys, values, (int) preparedQueries.size(0), r -> r, mask, r -> r, weights, score);
    }

    /**
     * {@link #context(INDArray, INDArray, INDArray, INDArray, INDArray, AttentionScore.RowScore)} with each row
     * reading its sentence's keys and values in place (no per-row copy of them).
     *
     * @param keys      the sentences' prepared keys [mb, tK, dP]
     * @param values    the sentences' h̄ [mb, tK, dV]
     * @param sentences row r's sentence, in 0 … mb − 1
     * @param mask      per row [rows, tK] (1 visible, 0 masked), or null when all are visible
     */
    static INDArray contextOfSentences(INDArray preparedQueries, INDArray keys, INDArray values, int[] sentences,
                                       INDArray mask, INDArray weights, AttentionScore.RowScore score) {
        if (preparedQueries.size(0) != sentences.length) {
            throw new IllegalArgumentException(preparedQueries.size(0) + " queries for " + sentences.length + " rows");
        }
        return attend(preparedQueries, keys, values, (int) keys.size(0), r -> sentences[r], mask, r -> r, weights, score);
    }

    /**
     * The shared loop of every {@code context} method: scores, masked softmax, weighted values. Query row r reads
     * block {@code blockOf(r)} of the {@code blocks} blocks of keys and values, and mask row {@code maskRowOf(r)}.
     */
    private static INDArray attend(INDArray queries, INDArray keys, INDArray values, int blocks, IntUnaryOperator blockOf,
                                   INDArray mask, IntUnaryOperator maskRowOf, INDArray weights,
                                   AttentionScore.RowScore score) {
        int rows = (int) queries.size(0);
        int d = (int) queries.size(1);
        int t = (int) (keys.length() / ((long) blocks * d));
        int dv = (int) (values.length() / ((long) blocks * t));
        if ((long) blocks * t * d != keys.length() || (long) blocks * t * dv != values.length()) {
            throw new IllegalArgumentException(rows + " queries of " + d + " do not match " + keys.length() + " key and "
                    + values.length() + " value entries");
        }
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, new long[]{rows, dv}, 'c');
        FloatBuffer qs = DirectBuffers.floats(queries);
        FloatBuffer ks = DirectBuffers.floats(keys);
        FloatBuffer vs = DirectBuffers.floats(values);
        FloatBuffer os = DirectBuffers.floats(out);
        FloatBuffer visible = mask == null ? null : DirectBuffers.floats(mask);
        if (weights != null && (!dense(weights) || weights.length() != (long) rows * t)) {
            throw new IllegalArgumentException("weights must be a dense float [" + rows + ", " + t + "] array");
        }
        FloatBuffer ws = weights == null ? null : DirectBuffers.floats(weights);
        float[] a = weights == null ? null : new float[t];
        // Rows and blocks are copied into Java arrays in bulk: the loops then read arrays, which the JIT compiles
        // to tighter code than element-by-element buffer reads.
        float[] q = new float[d];
        float[] k = new float[t * d];
        float[] v = new float[t * dv];
        float[] m = new float[t];
        float[] o = new float[dv];
        int loaded = -1;
        double[] e = new double[t];
        double[] c = new double[dv];
        for (int r = 0; r < rows; r++) {
            int block = blockOf.applyAsInt(r);
            if (block < 0 || block >= blocks) {
                throw new IllegalArgumentException("query row " + r + " reads block " + block + " of " + blocks);
            }
            if (block != loaded) {
                ks.get(block * t * d, k, 0, t * d);
                vs.get(block * t * dv, v, 0, t * dv);
                loaded = block;
            }
            qs.get(r * d, q, 0, d);
            if (visible != null) {
                visible.get(maskRowOf.applyAsInt(r) * t, m, 0, t);
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int s = 0; s < t; s++) {
                if (visible != null && m[s] == 0f) {
                    e[s] = Double.NaN;                                               // masked: weight 0
                    continue;
                }
                e[s] = score.of(q, k, s);
                max = Math.max(max, e[s]);
            }
            weightedValues(e, max, t, v, dv, c, o, a);
            os.put(r * dv, o, 0, dv);
            if (ws != null) {
                ws.put(r * t, a, 0, t);
            }
        }
        return out;
    }

    /**
     * o = Σ_s a_s v_s / Σ_s a_s with a_s = exp(e_s − max), skipping masked keys (e_s NaN); 0 when every key is masked.
     *
     * @param c scratch, dv doubles
     * @param w null, or t floats to receive the weights a_s / Σ a (0 for masked keys)
     */
    private static void weightedValues(double[] e, double max, int t, float[] v, int dv, double[] c, float[] o, float[] w) {
        double sum = 0;
        Arrays.fill(c, 0);
        for (int s = 0; s < t; s++) {
            if (Double.isNaN(e[s])) {
                continue;
            }
            double a = Math.exp(e[s] - max);
            sum += a;
            for (int j = 0, at = s * dv; j < dv; j++, at++) {
                c[j] += a * v[at];
            }
        }
        for (int j = 0; j < dv; j++) {
            o[j] = sum == 0 ? 0f : (float) (c[j] / sum);
        }
        if (w != null) {
            for (int s = 0; s < t; s++) {
                w[s] = Double.isNaN(e[s]) || sum == 0 ? 0f : (float) (Math.exp(e[s] - max) / sum);
            }
        }
    }


    private static boolean dense(INDArray a) {
        return a.dataType() == DataType.FLOAT && DirectBuffers.denseRowMajor(a);
    }
}
