package org.attentionzoo.eval;

import java.util.regex.Pattern;

/**
 * The language-dependent part of the mteval-v13a tokenizer (NIST's mteval-v13a.pl, as reproduced by sacreBLEU's
 * "13a" and "zh" tokenizers), applied as four regular-expression rewrites in this order:
 * <ol>
 *   <li>put spaces around every ASCII symbol except the apostrophe, hyphen, period and comma, i.e. around each of
 *       {@code space ! " # $ % & ( ) * + / : ; < = > ? @ [ \ ] ^ _ ` { | } ~};</li>
 *   <li>split a period or comma from a preceding non-digit: {@code x.} becomes {@code x . };</li>
 *   <li>split a period or comma from a following non-digit: {@code .x} becomes {@code  . x};</li>
 *   <li>split a hyphen that follows a digit: {@code 3-} becomes {@code 3 - };</li>
 * </ol>
 * then collapse whitespace (Python's definition) to single spaces and trim. So "1,000.5" stays one token while
 * "end." and "a,b" are split; "well-known" keeps its hyphen. "Digit" means ASCII 0-9 only.
 */
final class MtevalPunctuation {

    private static final Pattern SYMBOL = Pattern.compile("([{-~\\[-`\\x20-&(-+:-@/])");
    private static final Pattern NON_DIGIT_THEN_DOT_OR_COMMA = Pattern.compile("([^0-9])([.,])");
    private static final Pattern DOT_OR_COMMA_THEN_NON_DIGIT = Pattern.compile("([.,])([^0-9])");
    private static final Pattern DIGIT_THEN_HYPHEN = Pattern.compile("([0-9])(-)");

    private MtevalPunctuation() {
    }

    static String apply(String line) {
        String s = SYMBOL.matcher(line).replaceAll(" $1 ");
        s = NON_DIGIT_THEN_DOT_OR_COMMA.matcher(s).replaceAll("$1 $2 ");
        s = DOT_OR_COMMA_THEN_NON_DIGIT.matcher(s).replaceAll(" $1 $2");
        s = DIGIT_THEN_HYPHEN.matcher(s).replaceAll("$1 $2 ");
        return String.join(" ", PythonWhitespace.split(s));
    }
}
