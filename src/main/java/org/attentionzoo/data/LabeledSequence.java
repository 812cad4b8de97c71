package org.attentionzoo.data;

import java.util.List;
import java.util.Objects;

/**
 * One token sequence and its class label, for sequence classification (see {@link EventHistoryTask},
 * {@link ClassificationIterator}).
 *
 * @param tokens the sequence, already tokenized (not empty)
 * @param label  its class
 */
public record LabeledSequence(List<String> tokens, String label) {

    /** Copies the tokens; checks that nothing is null and the sequence is not empty. */
    public LabeledSequence {
        tokens = List.copyOf(Objects.requireNonNull(tokens, "tokens"));
        Objects.requireNonNull(label, "label");
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("a labeled sequence needs at least one token");
        }
    }
}
