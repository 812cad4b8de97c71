package org.attentionzoo.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text in software messages that must be copied, not translated: printf placeholders ({@code %s}, {@code %1$d},
 * {@code %(name)s}), brace placeholders ({@code {0}}, {@code {name}}, {@code ${HOME}}), command-line options
 * ({@code --depth}, {@code -v}), URLs and absolute paths. Before tokenizing, each such span of a source is replaced
 * by one symbol from Unicode's private-use area, U+E000 for the first distinct span, U+E001 for the next, and so
 * on; in a training target, each occurrence of a span of its source is replaced by the same symbol. The model then
 * learns to move symbols, which are single tokens it sees in every other sentence, rather than to spell
 * identifiers it may never have seen; {@link #unmask} puts the spans back into its output. This is the tag or
 * placeholder protection of production translation systems (e.g. Marian's and ModernMT's handling of tags).
 *
 * <p>Text that itself holds characters U+E000 to U+E03F is ambiguous: such characters in the model's output are
 * read as placeholder symbols.
 */
public final class Placeholders {

    /** The symbol of the first span; span k has {@code FIRST + k}. */
    public static final char FIRST = '\uE000';
    /** The most spans masked in one sentence; later ones stay as text. */
    public static final int MAX = 64;

    private static final Pattern SPAN = Pattern.compile(String.join("|",
            "%\\([A-Za-z_][A-Za-z0-9_]*\\)[-+#0-9.]*[a-zA-Z]",          // %(name)s
            "%[0-9]+\\$[-+#0-9.]*l{0,2}[a-zA-Z]",                        // %1$s
            "%[-+#0-9.]*(?:l{1,2}|h{1,2}|z|j|q|L)?[sdiufFgGeExXocpnb]",  // %s, %5.2f, %lu
            "\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}",                             // ${HOME}
            "\\{[A-Za-z0-9_]*\\}",                                         // {0}, {name}, {}
            "[a-z][a-z0-9+.-]*://[^\\s\"'<>()]*[^\\s\"'<>().,;:!?]",       // URLs
            "(?<![A-Za-z0-9_./~-])(?:/[A-Za-z0-9._-]+){2,}",               // /usr/share/doc
            "(?<![A-Za-z0-9_-])--[A-Za-z][A-Za-z0-9_-]*[A-Za-z0-9]",       // --depth, --no-tls
            "(?<![A-Za-z0-9_-])-[A-Za-z](?![A-Za-z0-9_-])"));              // -v

    private Placeholders() {
    }

    /** A source with its spans masked, and the spans, symbol k standing for {@code spans.get(k)}. */
    public record Masked(String text, List<String> spans) {
        /** {@link Placeholders#unmask} of a translation of this source. */
        public String unmask(String translation) {
            return Placeholders.unmask(translation, spans);
        }
    }

    /** The spans of {@code source}, distinct ones in order of first appearance (at most {@link #MAX}). */
    public static List<String> spans(String source) {
        List<String> spans = new ArrayList<>();
        Matcher m = SPAN.matcher(source);
        while (m.find() && spans.size() < MAX) {
            if (!spans.contains(m.group())) {
                spans.add(m.group());
            }
        }
        return spans;
    }

    /** Masks the spans of a source. */
    public static Masked mask(String source) {
        List<String> spans = spans(source);
        return new Masked(replace(source, spans), List.copyOf(spans));
    }

    /** Masks, in a text (a training target), every occurrence of the given spans (of its source), longest first. */
    public static String maskLike(String text, List<String> spans) {
        return replace(text, spans);
    }

    /** A pair with its source's spans masked on both sides. */
    public static SentencePair mask(SentencePair pair) {
        Masked source = mask(pair.source());
        return source.spans().isEmpty() ? pair
                : new SentencePair(source.text(), maskLike(pair.target(), source.spans()), pair.origin());
    }

    /**
     * Puts the spans back: symbol k becomes {@code spans.get(k)}; a symbol with no span (the model invented it)
     * is dropped.
     */
    public static String unmask(String text, List<String> spans) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int k = c - FIRST;
            if (k >= 0 && k < MAX) {
                if (k < spans.size()) {
                    out.append(spans.get(k));
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String replace(String text, List<String> spans) {
        if (spans.isEmpty()) {
            return text;
        }
        // Longest first, so that "--no-tls" is not masked inside as "--no" where both are spans.
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < spans.size(); k++) {
            order.add(k);
        }
        order.sort(Comparator.comparingInt((Integer k) -> -spans.get(k).length()));
        String out = text;
        for (int k : order) {
            out = replaceWhole(out, spans.get(k), String.valueOf((char) (FIRST + k)));
        }
        return out;
    }

    /** Replaces occurrences of {@code span} not glued to letters or digits that would make it another word. */
    private static String replaceWhole(String text, String span, String symbol) {
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        int at;
        while ((at = text.indexOf(span, from)) >= 0) {
            int end = at + span.length();
            boolean wordBefore = at > 0 && wordChar(span.charAt(0)) && wordChar(text.charAt(at - 1));
            boolean wordAfter = end < text.length() && wordChar(span.charAt(span.length() - 1)) && wordChar(text.charAt(end));
            out.append(text, from, at).append(wordBefore || wordAfter ? span : symbol);
            from = end;
        }
        return out.append(text, from, text.length()).toString();
    }

    private static boolean wordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-';
    }
}
