package org.attentionzoo.decode.incremental;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The result of one {@link IncrementalDecoder#step}.
 *
 * @param logProbs log-probabilities of the next token, [rows, targetVocab]
 * @param state    the decoder state after the fed tokens, same rows
 */
public record StepOutput(INDArray logProbs, RowState state) {
}
