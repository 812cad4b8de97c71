package org.attentionzoo.viz;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes a token safe to print in a terminal and splits it into the units a terminal draws in one
 * place: a base character followed by any zero-width marks that combine with it.
 */
final class TerminalText {

    private TerminalText() {
    }

    /** Replaces control characters (including ESC, so a token cannot inject escape codes) with '?'. */
    static String sanitize(String token) {
        StringBuilder out = new StringBuilder(token.length());
        token.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return out.toString();
    }

    /** The sanitized token split into base characters, each with its trailing zero-width marks. */
    static List<String> units(String token) {
        List<String> units = new ArrayList<>();
        StringBuilder unit = new StringBuilder();
        sanitize(token).codePoints().forEach(cp -> {
            if (unit.length() > 0 && DisplayWidth.of(cp) > 0) {
                units.add(unit.toString());
                unit.setLength(0);
            }
            unit.appendCodePoint(cp);
        });
        if (unit.length() > 0) {
            units.add(unit.toString());
        }
        return units;
    }

    /** {@code text} followed by spaces up to {@code columns} display columns. */
    static String padRight(String text, int columns) {
        return text + " ".repeat(Math.max(0, columns - DisplayWidth.of(text)));
    }
}
