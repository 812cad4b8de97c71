package org.attentionzoo.decode;

import java.util.List;

/**
 * One translation: the source text, the output text (detokenized) and the output tokens (UNK shown
 * as {@code <unk>}, never dropped).
 */
public record Translation(String source, String text, List<String> tokens) {
}
