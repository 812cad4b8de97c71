/**
 * Metrics over plain strings, independent of models: exact match, corpus BLEU ({@link org.attentionzoo.eval.Bleu},
 * with the {@link org.attentionzoo.eval.BleuTokenizer}s "13a", "zh" and "none") and chrF2
 * ({@link org.attentionzoo.eval.ChrF}), both reproducing sacreBLEU 2.x's defaults.
 */
package org.attentionzoo.eval;
