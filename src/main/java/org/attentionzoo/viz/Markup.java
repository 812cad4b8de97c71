package org.attentionzoo.viz;

/**
 * Escapes text for XML, SVG and HTML, in element content and in quoted attributes alike.
 */
final class Markup {

    private Markup() {
    }

    /**
     * Escapes {@code & < > " '} and replaces characters that XML 1.0 forbids (most control
     * characters, lone surrogates, U+FFFE and U+FFFF) with U+FFFD, so the output stays well-formed.
     */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(cp -> {
            switch (cp) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.appendCodePoint(allowedInXml(cp) ? cp : 0xFFFD);
            }
        });
        return out.toString();
    }

    private static boolean allowedInXml(int cp) {
        return cp == 0x9 || cp == 0xA || cp == 0xD
                || (cp >= 0x20 && cp <= 0xD7FF)
                || (cp >= 0xE000 && cp <= 0xFFFD)
                || (cp >= 0x10000 && cp <= 0x10FFFF);
    }
}
