/** Parallel-corpus reading, tokenisation (words, characters, BPE subwords), vocabularies, generated toy tasks and teacher-forcing batches for seq2seq models. */
package org.attentionzoo.data;
