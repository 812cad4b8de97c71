package org.attentionzoo.decode.incremental;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The result of one {@link IncrementalDecoder#step}: next-token scores per row and the decoder state after
 * the fed tokens. The scores are log-probabilities up to a constant per row, either the output layer's
 * logits z (then {@link #logProbs} normalises them, log softmax(z)) or log-probabilities already. Greedy
 * decoding needs only the argmax of a row, which both give, and skips the normalisation
 * ({@link IncrementalStepModel}).
 *
 * @param scores     [rows, targetVocab]: logits, or log-probabilities when {@code normalised}
 * @param state      the decoder state after the fed tokens, same rows
 * @param normalised whether {@code scores} are log-probabilities already
 * @param attention  the weights a [rows, tSrc] of the step's attention over the source (the model's alignment
 *                   vertex), 0 at padding; null when the decoder does not report them
 */
public record StepOutput(INDArray scores, RowState state, boolean normalised, INDArray attention) {

    /** A step's scores and state, without attention weights. */
    public StepOutput(INDArray scores, RowState state, boolean normalised) {
        this(scores, state, normalised, null);
    }

    /** A step's log-probabilities and state. */
    public StepOutput(INDArray logProbs, RowState state) {
        this(logProbs, state, true);
    }

    /** A step's logits (the output layer's pre-softmax values) and state. */
    public static StepOutput ofLogits(INDArray logits, RowState state) {
        return new StepOutput(logits, state, false);
    }

    /** This output with the attention weights over the source the step used, [rows, tSrc] (0 at padding). */
    public StepOutput withAttention(INDArray weights) {
        return new StepOutput(scores, state, normalised, weights);
    }

    /**
     * log p(y | prefix, source) per row, [rows, targetVocab]. Normalises the logits in place (no copy of the
     * [rows, V] array); a second call normalises log-probabilities, which leaves them as they are but for
     * rounding.
     */
    public INDArray logProbs() {
        return normalised ? scores : SoftmaxOutput.logSoftmaxInPlace(scores);
    }
}
