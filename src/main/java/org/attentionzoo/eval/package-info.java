/** Metrics over plain strings (exact match; BLEU and chrF come later), independent of models. */
package org.attentionzoo.eval;
