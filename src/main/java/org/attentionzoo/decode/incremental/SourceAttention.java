package org.attentionzoo.decode.incremental;

import org.attentionzoo.layers.attention.Alignment;
import org.attentionzoo.layers.attention.AttentionScore;
import org.attentionzoo.layers.attention.AttentionSpan;
import org.attentionzoo.layers.attention.MaskedSoftmax;
import org.attentionzoo.models.RnnAttention;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * Attention of one decoder query per row over its sentence's cached encoder states (global, or Luong's local
 * window: {@link Alignment#step}), the part
 * that {@link org.attentionzoo.layers.attention.LuongAttention} and
 * {@link org.attentionzoo.layers.attention.AttentionDecoder} share (Luong et al. 2015, section 3.1;
 * Bahdanau et al. 2015, eqs. 5-6):
 * <pre>
 *   e_s = score(q, h̄_s)                           the vertex's {@link AttentionScore}, on arrays
 *   a_s = exp(e_s) / Σ_s' exp(e_s')               over real source positions only ({@link MaskedSoftmax})
 *   c   = Σ_s a_s h̄_s                             context vector
 * </pre>
 * What depends only on the source is computed once, in {@link #putEncoded}: the encoder states as keys
 * [mb, tSrc, dEnc] and the scorer's key-side work ({@link AttentionScore#prepareKeys(INDArray, Map)}, e.g.
 * W_a h̄_s for general, U_a h̄_s for concat/additive).
 */
final class SourceAttention {

    /** Encoder states h̄ as [mb, tSrc, dEnc]. */
    static final String KEYS = "keys";
    /** The scorer's prepared keys, [mb, tSrc, ·]. */
    static final String PREPARED_KEYS = "prepared_keys";
    /** The source mask [mb, tSrc]. */
    static final String SOURCE_MASK = EncoderPass.SOURCE_MASK;

    private final AttentionScore scorer;
    private final Alignment alignment;
    private final Map<String, INDArray> params;

    /**
     * @param scorer the attention vertex's score function
     * @param graph  the graph whose {@link RnnAttention#ATTENTION} vertex holds the scorer's parameters
     */
    SourceAttention(AttentionScore scorer, ComputationGraph graph) {
        this(scorer, AttentionSpan.GLOBAL.create(0, 0, AttentionSpan.DEFAULT_WINDOW), graph);
    }

    /**
     * @param scorer    the attention vertex's score function
     * @param alignment the vertex's alignment: global, or a local window ({@link Alignment#step})
     * @param graph     the graph whose {@link RnnAttention#ATTENTION} vertex holds their parameters
     */
    SourceAttention(AttentionScore scorer, Alignment alignment, ComputationGraph graph) {
        this.scorer = scorer;
        this.alignment = alignment;
        this.params = graph.getVertex(RnnAttention.ATTENTION).paramTable(false);
    }

    /** The name of the vertex that feeds the attention its encoder states (its second input). */
    static String encoderStatesVertex(ComputationGraph graph) {
        return graph.getConfiguration().getVertexInputs().get(RnnAttention.ATTENTION).get(1);
    }

    /**
     * Stores the keys, prepared keys and source mask of an encoder pass.
     *
     * @param encoderStates [mb, dEnc, tSrc], as the graph computes them
     * @param sourceMask    [mb, tSrc]
     */
    void putEncoded(RowState.Builder encoded, INDArray encoderStates, INDArray sourceMask) {
        INDArray keys = encoderStates.permute(0, 2, 1).dup('c');                    // [mb, tSrc, dEnc]
        encoded.put(KEYS, keys)
                .put(PREPARED_KEYS, scorer.prepareKeys(keys, params))
                .put(SOURCE_MASK, sourceMask);
    }

    /**
     * The tensors a step reads in place, through each row's sentence, rather than as rows of its own:
     * {@link RowState#selectShared(int[], java.util.Set)} leaves them out.
     */
    static final java.util.Set<String> READ_IN_PLACE = java.util.Set.of(KEYS, PREPARED_KEYS);

    /** A step's context vectors c [rows, dEnc] and the weights a [rows, tSrc] that made them. */
    record Attended(INDArray context, INDArray weights) {
    }

    /**
     * The context vectors c [rows, dEnc] of one step and its weights a (0 at padding), the alignment of this
     * step.
     *
     * @param query     one query per row, [rows, dQ]
     * @param encoded   the encoded sentences (keys and prepared keys [mb, tSrc, ·], read in place)
     * @param sources   the rows' sentences of the encoded state as rows ({@link #SOURCE_MASK} at least)
     * @param sentences each row's sentence
     */
    Attended attend(INDArray query, RowState encoded, RowState sources, int[] sentences) {
        return attend(query, encoded, sources, sentences, null);
    }

    /**
     * {@link #attend(INDArray, RowState, RowState, int[])} at given target positions: the alignment's decoding step
     * ({@link Alignment#step}) says which source positions the softmax runs over (all real ones for global, a
     * window for local) and the factor on its weights (local-p's Gaussian); then c = Σ_s a_s h̄_s.
     *
     * @param positions t per row [rows, 1], the number of target tokens before this step; null for global attention
     */
    Attended attend(INDArray query, RowState encoded, RowState sources, int[] sentences, INDArray positions) {
        long rows = query.size(0);
        INDArray keys = encoded.get(KEYS);                                            // [mb, tSrc, dEnc]
        INDArray prepared = encoded.get(PREPARED_KEYS);
        Alignment.Step span = alignment.step(query, positions, sources.get(SOURCE_MASK), params);
        boolean fast = OneQueryAttention.applies(query, prepared, keys, span.keep());
        AttentionScore.QueryStep queryStep = fast ? scorer.queryStep(params) : null;   // per step: parameters may have moved
        INDArray a;
        INDArray c;
        if (queryStep != null) {
            a = Nd4j.createUninitialized(DataType.FLOAT, new long[]{rows, keys.size(1)}, 'c');
            c = OneQueryAttention.contextOfSentences(queryStep.prepareQueries(query), prepared, keys, sentences,
                    span.keep(), a, queryStep.rowScore());
            if (span.factor() != null) {
                keys = RowState.selectRows(keys, sentences);
            }
        } else {
            keys = RowState.selectRows(keys, sentences);                             // [rows, tSrc, dEnc]
            INDArray e = scorer.scores(query.reshape('c', rows, 1, query.size(1)), RowState.selectRows(prepared, sentences),
                    params);                                                          // [rows, 1, tSrc]
            a = MaskedSoftmax.apply(e, span.keep()).reshape('c', rows, keys.size(1));                                // [rows, tSrc]
            c = span.factor() == null ? weighted(a, keys) : null;
        }
        if (span.factor() != null) {
            a.muli(span.factor());
            c = weighted(a, keys);
        }
        return new Attended(c, a);
    }

    /** Σ_s a_s h̄_s: weights [rows, tSrc], keys [rows, tSrc, dEnc] → [rows, dEnc]. */
    private static INDArray weighted(INDArray a, INDArray keys) {
        return Nd4j.matmul(a.reshape('c', a.size(0), 1, a.size(1)), keys).reshape('c', a.size(0), keys.size(2));
    }
}
