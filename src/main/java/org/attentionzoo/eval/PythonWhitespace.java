package org.attentionzoo.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Whitespace as Python 3's {@code str.isspace()} defines it, so that splitting and stripping agree with
 * sacreBLEU (which calls {@code str.split()}, {@code str.strip()} and {@code str.rstrip()}).
 *
 * <p>The set (Python 3.11, Unicode 14): U+0009–U+000D, U+001C–U+001F, U+0020, U+0085, U+00A0, U+1680,
 * U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000. It differs from {@link Character#isWhitespace(int)},
 * which says no to U+0085 and to the no-break spaces U+00A0, U+2007 and U+202F.
 */
final class PythonWhitespace {

    private PythonWhitespace() {
    }

    /** @return whether Python's {@code str.isspace()} is true for this code point */
    static boolean isSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0
                || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029
                || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** @return the maximal runs of non-whitespace code points, in order (Python's {@code s.split()}) */
    static List<String> split(String s) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (isSpace(cp)) {
                if (start >= 0) {
                    words.add(s.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            words.add(s.substring(start));
        }
        return words;
    }

    /** @return {@code s} without trailing whitespace (Python's {@code s.rstrip()}) */
    static String rstrip(String s) {
        int end = s.length();
        while (end > 0) {
            int cp = s.codePointBefore(end);
            if (!isSpace(cp)) {
                break;
            }
            end -= Character.charCount(cp);
        }
        return s.substring(0, end);
    }

    /** @return {@code s} without leading or trailing whitespace (Python's {@code s.strip()}) */
    static String strip(String s) {
        String right = rstrip(s);
        int begin = 0;
        while (begin < right.length()) {
            int cp = right.codePointAt(begin);
            if (!isSpace(cp)) {
                break;
            }
            begin += Character.charCount(cp);
        }
        return right.substring(begin);
    }

    /** @return the non-whitespace code points of {@code s}, whitespace removed (Python's {@code ''.join(s.split())}) */
    static int[] withoutSpaces(String s) {
        return s.codePoints().filter(cp -> !isSpace(cp)).toArray();
    }
}
