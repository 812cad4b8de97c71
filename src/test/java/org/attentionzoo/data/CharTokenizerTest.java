package org.attentionzoo.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CharTokenizerTest {

    private final CharTokenizer tokenizer = new CharTokenizer();

    @Test
    void chineseOneTokenPerCharacter() {
        assertEquals(List.of("我", "爱", "你", "。"), tokenizer.tokenize("我爱你。"));
    }

    @Test
    void supplementaryCharacterIsOneToken() {
        // 𠮷 is U+20BB7: two Java chars, one code point.
        assertEquals(List.of("𠮷", "野", "家"), tokenizer.tokenize("𠮷野家"));
    }

    @Test
    void spacesBecomeLowerBlock() {
        assertEquals(List.of("2", "0", "▁", "a"), tokenizer.tokenize("20 a"));
    }

    @Test
    void detokenizeIsExact() {
        for (String s : List.of("東京に行きます。", "1999-05-03", "a  b 𠮷", " lead and trail ")) {
            assertEquals(s, tokenizer.detokenize(tokenizer.tokenize(s)));
        }
    }

    @Test
    void lookupByName() {
        assertInstanceOf(CharTokenizer.class, Tokenizers.forName("chars"));
        assertInstanceOf(WordTokenizer.class, Tokenizers.forName("words"));
        assertEquals("chars", tokenizer.name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizers.forName("bpe"));
        assertTrue(e.getMessage().contains("'bpe'") && e.getMessage().contains("words, chars"), e.getMessage());
    }
}
