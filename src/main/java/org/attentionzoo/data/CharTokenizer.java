package org.attentionzoo.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Character tokenizer for scripts written without spaces, such as Chinese and Japanese (name
 * {@code "chars"}).
 *
 * <p>Each Unicode code point is one token (a character outside the Basic Multilingual Plane, such
 * as 𠮷, is one token although it is two Java {@code char}s). Each whitespace character becomes
 * the token {@link #SPACE} ("▁"), which detokenizes to one ordinary space; so detokenization is
 * exact for text whose whitespace is ordinary spaces. A literal "▁" in the text detokenizes to a
 * space.
 */
public final class CharTokenizer implements Tokenizer {

    /** Token standing for one whitespace character, U+2581 LOWER ONE EIGHTH BLOCK. */
    public static final String SPACE = "\u2581";

    @Override
    public List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>(text.length());
        text.codePoints().forEach(cp -> tokens.add(
                WordTokenizer.isSpace(cp) ? SPACE : new String(Character.toChars(cp))));
        return tokens;
    }

    @Override
    public String detokenize(List<String> tokens) {
        StringBuilder out = new StringBuilder();
        for (String token : tokens) {
            out.append(SPACE.equals(token) ? " " : token);
        }
        return out.toString();
    }

    @Override
    public String name() {
        return "chars";
    }
}
