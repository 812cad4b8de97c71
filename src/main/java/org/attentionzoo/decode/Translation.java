package org.attentionzoo.decode;

import org.attentionzoo.viz.Alignment;

import java.util.List;

/**
 * One translation: the source text, the output text (detokenized), the output tokens (UNK shown as
 * {@code <unk>}, never dropped), and the alignment the model used to produce them: rows are the output
 * tokens followed by EOS, columns the source tokens. The alignment is null for models without attention.
 */
public record Translation(String source, String text, List<String> tokens, Alignment alignment) {
}
