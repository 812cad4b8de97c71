package org.attentionzoo.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.attentionzoo.data.BpeModel.Merge;
import org.junit.jupiter.api.Test;

class TokenizersTest {

    private static final List<String> TEXTS = List.of("low low lower", "我们 我们");

    @Test
    void forNameKeepsWorkingForTokenizersWithoutState() {
        assertInstanceOf(WordTokenizer.class, Tokenizers.forName("words"));
        assertInstanceOf(CharTokenizer.class, Tokenizers.forName("chars"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizers.forName("bpe"));
        assertTrue(e.getMessage().contains("bpe:8000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tokenizers.forName("spaces"));
    }

    @Test
    void learnReadsTheSpecification() {
        assertInstanceOf(WordTokenizer.class, Tokenizers.learn("words", TEXTS));
        assertInstanceOf(CharTokenizer.class, Tokenizers.learn("chars", TEXTS));
        BpeTokenizer words = (BpeTokenizer) Tokenizers.learn("bpe:1", TEXTS);
        assertEquals("words", words.base().name());
        // Words low 2, lower 1, 我们 2: (l,o) 3 is the most frequent pair.
        assertEquals(List.of(new Merge("l", "o")), words.model().merges());
        BpeTokenizer chars = (BpeTokenizer) Tokenizers.learn("bpe-chars:100", TEXTS);
        assertEquals("chars", chars.base().name());
        // Words low, ▁, low, ▁, lower, 我们, ▁, 我们 (runs between spaces; each space is a word ▁ too):
        // (l,o) 3; then (lo,w</w>) 2 and (我,们</w>) 2 tie, "lo" < "我"; then (我,们</w>); nothing else occurs twice.
        assertEquals(List.of(new Merge("l", "o"), new Merge("lo", "w</w>"), new Merge("我", "们</w>")),
                chars.model().merges());
        assertEquals(0, ((BpeTokenizer) Tokenizers.learn("bpe:0", TEXTS)).model().size());
    }

    @Test
    void badSpecificationsListTheForms() {
        for (String spec : List.of("bpe", "bpe:", "bpe:-1", "bpe:many", "sentencepiece:8000", "chars:10")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizers.learn(spec, TEXTS));
            assertTrue(e.getMessage().contains(spec), e.getMessage());
        }
    }
}
