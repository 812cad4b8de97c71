package org.attentionzoo.data;

import java.util.List;

/**
 * Looks up tokenizers by their {@link Tokenizer#name()}, and makes tokenizers that must be learned from text.
 *
 * <p>Tokenizer specifications accepted by {@link #learn(String, List)}:
 * <ul>
 *   <li>{@code words}: {@link WordTokenizer}, nothing to learn;</li>
 *   <li>{@code chars}: {@link CharTokenizer}, nothing to learn;</li>
 *   <li>{@code bpe:N}: {@link BpeTokenizer} with up to N merges learned on the words of {@link WordTokenizer}
 *       (for languages written with spaces), e.g. {@code bpe:8000};</li>
 *   <li>{@code bpe-chars:N}: {@link BpeTokenizer} with up to N merges learned on runs of
 *       {@link CharTokenizer} characters (for Chinese and Japanese).</li>
 * </ul>
 */
public final class Tokenizers {

    /** Names accepted by {@link #forName(String)}: the tokenizers that need nothing learned. */
    public static final List<String> NAMES = List.of("words", "chars");
    /** The forms of specification accepted by {@link #learn(String, List)}. */
    public static final List<String> SPECS = List.of("words", "chars", "bpe:<merges>", "bpe-chars:<merges>");

    private Tokenizers() {
    }

    /**
     * Returns a new tokenizer called {@code name}.
     *
     * @throws IllegalArgumentException if the name is unknown, or is {@code bpe}, which needs learned merges
     *                                  ({@link #learn(String, List)} or {@link BpeTokenizer#load}); the
     *                                  message lists the known names
     */
    public static Tokenizer forName(String name) {
        if ("words".equals(name)) {
            return new WordTokenizer();
        }
        if ("chars".equals(name)) {
            return new CharTokenizer();
        }
        if (BpeTokenizer.NAME.equals(name)) {
            throw new IllegalArgumentException("the tokenizer 'bpe' needs learned merges: learn them with a"
                    + " specification such as bpe:8000, or load a merge file; tokenizers that need nothing: "
                    + String.join(", ", NAMES));
        }
        throw new IllegalArgumentException("unknown tokenizer '" + name + "'; known tokenizers: "
                + String.join(", ", NAMES));
    }

    /**
     * Makes the tokenizer a specification describes (see the class comment), learning BPE merges from
     * {@code texts} where the specification asks for them. The texts are ignored for {@code words} and
     * {@code chars}.
     *
     * @param spec  {@code words}, {@code chars}, {@code bpe:N} or {@code bpe-chars:N} with N &ge; 0
     * @param texts untokenized training sentences of one side of the corpus
     * @throws IllegalArgumentException for an unknown specification or a bad number of merges, listing the forms
     */
    public static Tokenizer learn(String spec, List<String> texts) {
        if (NAMES.contains(spec)) {
            return forName(spec);
        }
        int colon = spec == null ? -1 : spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        String base = "bpe".equals(kind) ? "words" : "bpe-chars".equals(kind) ? "chars" : null;
        if (base == null || colon < 0) {
            throw new IllegalArgumentException("unknown tokenizer specification '" + spec + "'; expected one of "
                    + String.join(", ", SPECS) + " (such as bpe:8000)");
        }
        int merges;
        try {
            merges = Integer.parseInt(spec.substring(colon + 1));
        } catch (NumberFormatException e) {
            merges = -1;
        }
        if (merges < 0) {
            throw new IllegalArgumentException("tokenizer specification '" + spec + "': the number of merges after ':'"
                    + " must be a whole number 0 or more, such as " + kind + ":8000");
        }
        return BpeTokenizer.learn(forName(base), texts, merges);
    }
}
