package org.attentionzoo.data;

import java.util.List;

/**
 * Splits text into tokens and joins tokens back into text.
 *
 * <p>Implementations must be immutable (a {@link BpeTokenizer} holds merges fixed when it is made, the
 * others hold nothing) and never produce a token that contains whitespace, so that every token can be
 * stored on its own line of a {@link Vocabulary} file.
 */
public interface Tokenizer {

    /** Splits {@code text} into tokens; blank text gives an empty list. */
    List<String> tokenize(String text);

    /** Joins tokens produced by {@link #tokenize(String)} back into readable text. */
    String detokenize(List<String> tokens);

    /** Short name used on the command line and in {@link Tokenizers#forName(String)}. */
    String name();
}
