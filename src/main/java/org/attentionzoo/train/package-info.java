/**
 * Training any zoo model through one loop ({@link org.attentionzoo.train.Trainer}): budgets, loss per
 * token, throughput, dev BLEU/chrF with early stopping, checkpoints that resume bit for bit, the
 * training log ({@code training.csv}, {@code training.png}) and progress displays.
 */
package org.attentionzoo.train;
