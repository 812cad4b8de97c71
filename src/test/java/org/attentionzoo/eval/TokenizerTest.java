package org.attentionzoo.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Expected strings follow the rules in the tokenizers' class comments, applied by hand. */
class TokenizerTest {

    private static final BleuTokenizer T13A = BleuTokenizer.named("13a");
    private static final BleuTokenizer ZH = BleuTokenizer.named("zh");

    @Test
    void namesSelectTheTokenizers() {
        assertEquals("13a", T13A.name());
        assertEquals("zh", ZH.name());
        assertEquals("none", BleuTokenizer.named("none").name());
        assertThrows(IllegalArgumentException.class, () -> BleuTokenizer.named("intl"));
    }

    @Test
    void noneKeepsTheLine() {
        assertEquals("a,b (c)  d", BleuTokenizer.named("none").tokenize("a,b (c)  d"));
    }

    @Test
    void thirteenASplitsSymbolsAndQuotesButNotApostrophesOrHyphens() {
        assertEquals("He said \" hi \" .", T13A.tokenize("He said \"hi\"."));
        assertEquals("don't use well-known ( e . g . ) words !", T13A.tokenize("don't use well-known (e.g.) words!"));
        assertEquals("a / b : c ; d ? e @ f # g $ h ^ i _ j ` k { l } m | n ~ o [ p ] q \\ r",
                T13A.tokenize("a/b:c;d?e@f#g$h^i_j`k{l}m|n~o[p]q\\r"));
        assertEquals("x * y + z = w % v", T13A.tokenize("x*y+z=w%v"));
    }

    @Test
    void thirteenAKeepsNumbersTogetherButSplitsSentencePunctuation() {
        // a period or comma stays only between two digits; a hyphen after a digit is split
        assertEquals("1,000.50 dollars , 3.5 % of 10 - 20 pages .", T13A.tokenize("1,000.50 dollars, 3.5% of 10-20 pages."));
        assertEquals("U . S . A . and 3 . x", T13A.tokenize("U.S.A. and 3.x"));
        assertEquals("ends with 5 .", T13A.tokenize("ends with 5."));
        // the line is padded with spaces first, so a leading period has a non-digit (the space) before it
        assertEquals(". 5 and , 5", T13A.tokenize(".5 and ,5"));
        assertEquals("-5 and 5 - 5 and a-5", T13A.tokenize("-5 and 5-5 and a-5"));
        assertEquals("wait . . .", T13A.tokenize("wait..."));
    }

    @Test
    void thirteenAUnescapesFourEntitiesOnly() {
        assertEquals("\" x \" & y < z >", T13A.tokenize("&quot;x&quot; &amp; y &lt;z&gt;"));
        // &amp; first, then &lt;: "&amp;lt;" becomes "<"
        assertEquals("<", T13A.tokenize("&amp;lt;"));
        // '#' is one of the symbols that get spaces around them
        assertEquals("& apos ; & # 39 ;", T13A.tokenize("&apos; &#39;"));
    }

    @Test
    void thirteenARemovesSkippedAndJoinsBrokenLines() {
        assertEquals("ab linebroken x y", T13A.tokenize("a<skipped>b line-\nbroken\nx\ny"));
    }

    @Test
    void thirteenALeavesNonAsciiPunctuationAndCollapsesUnicodeSpaces() {
        assertEquals("a—b « c » “d” …", T13A.tokenize("a—b « c » “d” …"));
        assertEquals("a b c", T13A.tokenize("\u3000a\u00a0\u00a0b\u2009c\u0085"));
    }

    @Test
    void zhSplitsChineseCharactersAndFullWidthPunctuation() {
        assertEquals("中 文 English 混 合 ， 测 试 ： “ 引 号 ” 和 1,234.5 元 ！",
                ZH.tokenize("中文English混合，测试：“引号”和1,234.5元！"));
        assertEquals("请 运 行 \" git commit \" 命 令 .", ZH.tokenize("  请运行\"git commit\"命令. "));
    }

    @Test
    void zhReproducesSacreBleusEffectiveRanges() {
        // U+2014 (em dash) and U+2192 (arrow) fall in the effective U+2001..U+2A6D range; U+2000 does not (it is a
        // space anyway); Extension B (U+20000) is beyond U+FFFF and stays attached.
        assertEquals("a — b → c", ZH.tokenize("a—b→c"));
        assertEquals("x𠀀y", ZH.tokenize("x𠀀y"));
        assertEquals("a ☺ b ㈠ c", ZH.tokenize("a☺b㈠c"));
        assertTrue(TokenizerZh.isChinese(0x2001));
        assertTrue(TokenizerZh.isChinese(0x2A6D));
        assertFalse(TokenizerZh.isChinese(0x2000));
        assertFalse(TokenizerZh.isChinese(0x2A6E));
        assertFalse(TokenizerZh.isChinese(0x20000));
    }

    @Test
    void zhDoesNotUnescapeEntities() {
        assertEquals("& amp ; 和 & quot ;", ZH.tokenize("&amp;和&quot;"));
    }
}
