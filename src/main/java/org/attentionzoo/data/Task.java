package org.attentionzoo.data;

import java.util.List;

/** A generated sequence-to-sequence task: seeded sentence pairs, no download. */
public interface Task {

    /** Short name used in {@link Tasks#forName(String)}. */
    String name();

    /**
     * Generates {@code count} pairs; the same seed always gives the same list, and each pair's
     * origin is {@code "<name>#<index from 1>"}.
     */
    List<SentencePair> generate(int count, long seed);

    /** Tokenizer to use for the sources: by default words separated by white space. */
    default Tokenizer sourceTokenizer() {
        return new WordTokenizer();
    }

    /** Tokenizer to use for the targets. */
    Tokenizer targetTokenizer();
}
