package org.attentionzoo.eval;

/**
 * The mteval-v13a tokenizer, BLEU's standard at WMT and sacreBLEU's default ("13a").
 *
 * <p>Language-independent part, in order: delete every {@code <skipped>}; join lines broken after a hyphen
 * (delete {@code "-\n"}); turn the remaining newlines into spaces; then, only if the line contains {@code &},
 * unescape the four entities {@code &quot; &amp; &lt; &gt;} one after the other (so {@code &amp;lt;} ends as
 * {@code <}, as in sacreBLEU). Other entities such as {@code &apos;} or {@code &#39;} are left alone and get
 * split like any other text. Then the language-dependent part, {@link MtevalPunctuation}.
 */
public final class Tokenizer13a implements BleuTokenizer {

    @Override
    public String tokenize(String line) {
        String s = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
        if (s.indexOf('&') >= 0) {
            s = s.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
        }
        return MtevalPunctuation.apply(" " + s + " ");
    }

    @Override
    public String name() {
        return "13a";
    }
}
