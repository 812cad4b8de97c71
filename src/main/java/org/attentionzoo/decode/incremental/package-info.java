/**
 * Incremental (cached) decoding: the encoder runs once per sentence and each decoding step runs the
 * decoder for one step from the state the previous step left, instead of re-running the whole graph on
 * the whole prefix ({@link org.attentionzoo.decode.GraphStepModel}). An {@link
 * org.attentionzoo.decode.incremental.IncrementalDecoder} per model family computes, in eager ND4J math
 * over the graph's own parameters, what the graph computes at the last position of a prefix;
 * {@link org.attentionzoo.decode.incremental.IncrementalStepModel} makes it a
 * {@link org.attentionzoo.decode.step.StepModel} for greedy decoding and beam search.
 *
 * <p>RNN families: {@link org.attentionzoo.decode.incremental.Seq2SeqSteps},
 * {@link org.attentionzoo.decode.incremental.LuongAttentionSteps} and
 * {@link org.attentionzoo.decode.incremental.AttentionDecoderSteps}, each with a {@code supports(card)}.
 */
package org.attentionzoo.decode.incremental;
