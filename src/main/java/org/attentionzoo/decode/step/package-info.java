/**
 * What a decoding search needs of a model, one step at a time: {@link org.attentionzoo.decode.step.StepModel} (the
 * next-token log-probabilities of a batch of prefixes), the best tokens of a row
 * ({@link org.attentionzoo.decode.step.TopTokens}) and the padded id arrays a batch is made of
 * ({@link org.attentionzoo.decode.step.Batches}). The searches ({@code decode}) and the cached step models
 * ({@code decode.incremental}) both build on it, so neither imports the other's package back.
 */
package org.attentionzoo.decode.step;
