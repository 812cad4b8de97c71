package org.attentionzoo.eval;

/**
 * sacreBLEU's Chinese tokenizer ("zh"): strip the line, put spaces around every character in the "Chinese" code
 * point ranges below so that each becomes a token of its own, then apply {@link MtevalPunctuation} (mteval-v13a's
 * regular expressions) to the result. Unlike {@link Tokenizer13a} it does not unescape entities, remove
 * {@code <skipped>} or join hyphen-broken lines; sacreBLEU's "zh" does not either.
 *
 * <p>The ranges are the ones sacreBLEU (v1.2 to at least 2.6) tests, as they behave in Python, which compares
 * one-character strings by code point. Two of sacreBLEU's bounds are written as five-hex-digit {@code \\u}
 * escapes that Python reads as a four-digit escape followed by a digit; the effective ranges, reproduced here so
 * that scores agree, are U+2001–U+2A6D (general punctuation such as dashes, curly quotes and ellipsis, arrows,
 * mathematical symbols, …) instead of Extension B, and U+2F81–U+2FA1 instead of the Compatibility Supplement.
 * Characters beyond U+FFFF are therefore never split off.
 */
public final class TokenizerZh implements BleuTokenizer {

    /** Inclusive code point ranges [first, last] treated as Chinese characters. */
    private static final int[][] RANGES = {
        {0x3400, 0x4DB5}, // CJK Unified Ideographs Extension A
        {0x4E00, 0x9FA5}, // CJK Unified Ideographs
        {0x9FA6, 0x9FBB}, // CJK Unified Ideographs, Unicode 4.1 additions
        {0xF900, 0xFA2D}, // CJK Compatibility Ideographs
        {0xFA30, 0xFA6A}, // CJK Compatibility Ideographs, Unicode 3.2 additions
        {0xFA70, 0xFAD9}, // CJK Compatibility Ideographs, Unicode 4.1 additions
        {0x2001, 0x2A6D}, // meant as Extension B (U+20000..U+2A6D6), effectively this (see class comment)
        {0x2F81, 0x2FA1}, // meant as Compatibility Supplement (U+2F800..U+2FA1D), effectively this
        {0xFF00, 0xFFEF}, // half-width and full-width forms
        {0x2E80, 0x2EFF}, // CJK Radicals Supplement
        {0x3000, 0x303F}, // CJK Symbols and Punctuation
        {0x31C0, 0x31EF}, // CJK Strokes
        {0x2F00, 0x2FDF}, // Kangxi Radicals
        {0x2FF0, 0x2FFF}, // Ideographic Description Characters
        {0x3100, 0x312F}, // Bopomofo
        {0x31A0, 0x31BF}, // Bopomofo Extended
        {0xFE10, 0xFE1F}, // Vertical Forms
        {0xFE30, 0xFE4F}, // CJK Compatibility Forms
        {0x2600, 0x26FF}, // Miscellaneous Symbols
        {0x2700, 0x27BF}, // Dingbats
        {0x3200, 0x32FF}, // Enclosed CJK Letters and Months
        {0x3300, 0x33FF}, // CJK Compatibility
    };

    /** @return whether this code point is split off as a token of its own */
    static boolean isChinese(int cp) {
        for (int[] r : RANGES) {
            if (cp >= r[0] && cp <= r[1]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String tokenize(String line) {
        String stripped = PythonWhitespace.strip(line);
        StringBuilder spaced = new StringBuilder(stripped.length() * 2);
        stripped.codePoints().forEach(cp -> {
            if (isChinese(cp)) {
                spaced.append(' ').appendCodePoint(cp).append(' ');
            } else {
                spaced.appendCodePoint(cp);
            }
        });
        return MtevalPunctuation.apply(spaced.toString());
    }

    @Override
    public String name() {
        return "zh";
    }
}
