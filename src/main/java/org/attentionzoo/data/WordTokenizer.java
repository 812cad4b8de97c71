package org.attentionzoo.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Word-and-punctuation tokenizer for alphabetic languages (name {@code "words"}).
 *
 * <p>A run of letters, digits and combining marks is one token; every other non-whitespace code
 * point (punctuation, symbols) is a token of its own. Case is kept. Where two tokens were glued
 * together in the text (no whitespace between them) the punctuation side of the boundary carries
 * the joiner marker {@link #JOINER} ('￭', as in OpenNMT's tokenizer): a leading joiner when the
 * token was glued to the previous token, a trailing joiner when the next token was glued to it.
 * Words never carry a joiner, so "ok" and "ok," share the token "ok". Thus
 * {@code "2026-11-24, ok"} becomes {@code [2026, ￭-￭, 11, ￭-￭, 24, ￭,, ok]}.
 *
 * <p>{@code detokenize(tokenize(s))} equals {@code s} with whitespace runs (including no-break
 * spaces) replaced by one ordinary space and the ends trimmed. Text that itself contains the
 * character U+FFED ('￭') does not round-trip.
 */
public final class WordTokenizer implements Tokenizer {

    /** The joiner marker, U+FFED HALFWIDTH BLACK SQUARE. */
    public static final String JOINER = "\uFFED";

    @Override
    public List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        // For each token: whether it was glued to the token before it.
        List<Boolean> gluedToPrevious = new ArrayList<>();
        boolean sawSpace = true;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            if (isSpace(cp)) {
                sawSpace = true;
                i += Character.charCount(cp);
                continue;
            }
            int end = i + Character.charCount(cp);
            if (isWordChar(cp)) {
                while (end < text.length() && isWordChar(text.codePointAt(end))) {
                    end += Character.charCount(text.codePointAt(end));
                }
            }
            tokens.add(text.substring(i, end));
            gluedToPrevious.add(!sawSpace);
            sawSpace = false;
            i = end;
        }
        for (int t = 1; t < tokens.size(); t++) {
            if (!gluedToPrevious.get(t)) {
                continue;
            }
            String current = tokens.get(t);
            if (!isWordToken(current)) {
                tokens.set(t, JOINER + current);
            } else {
                // The previous token must be punctuation: two glued word runs would be one token.
                tokens.set(t - 1, tokens.get(t - 1) + JOINER);
            }
        }
        return tokens;
    }

    @Override
    public String detokenize(List<String> tokens) {
        StringBuilder out = new StringBuilder();
        boolean glueNext = true;
        for (String token : tokens) {
            String body = token;
            boolean leading = body.length() > JOINER.length() && body.startsWith(JOINER);
            if (leading) {
                body = body.substring(JOINER.length());
            }
            boolean trailing = body.length() > JOINER.length() && body.endsWith(JOINER);
            if (trailing) {
                body = body.substring(0, body.length() - JOINER.length());
            }
            if (!glueNext && !leading) {
                out.append(' ');
            }
            out.append(body);
            glueNext = trailing;
        }
        return out.toString();
    }

    @Override
    public String name() {
        return "words";
    }

    private static boolean isWordToken(String token) {
        return isWordChar(token.codePointAt(0));
    }

    static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }

    private static boolean isWordChar(int cp) {
        if (Character.isLetterOrDigit(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }
}
