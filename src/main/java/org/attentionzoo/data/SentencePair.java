package org.attentionzoo.data;

import java.util.Objects;

/**
 * One source sentence and its target (translation), with where it came from.
 *
 * @param source the source sentence, untokenized
 * @param target the target sentence, untokenized
 * @param origin where the pair came from, such as {@code "file.tsv:17"} (file and 1-based line)
 *               or {@code "dates#17"} (generated task and index)
 */
public record SentencePair(String source, String target, String origin) {

    /** Checks that no component is null. */
    public SentencePair {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(origin, "origin");
    }
}
