package org.attentionzoo.data;

import java.util.List;

/** Looks up tokenizers by their {@link Tokenizer#name()}. */
public final class Tokenizers {

    /** Names accepted by {@link #forName(String)}. */
    public static final List<String> NAMES = List.of("words", "chars");

    private Tokenizers() {
    }

    /**
     * Returns a new tokenizer called {@code name}.
     *
     * @throws IllegalArgumentException if the name is unknown; the message lists the known names
     */
    public static Tokenizer forName(String name) {
        if ("words".equals(name)) {
            return new WordTokenizer();
        }
        if ("chars".equals(name)) {
            return new CharTokenizer();
        }
        throw new IllegalArgumentException("unknown tokenizer '" + name + "'; known tokenizers: "
                + String.join(", ", NAMES));
    }
}
