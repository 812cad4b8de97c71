package org.attentionzoo.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WordTokenizerTest {

    private final WordTokenizer tokenizer = new WordTokenizer();

    @Test
    void englishWordsAndPunctuation() {
        assertEquals(List.of("Hello", "￭,", "world", "￭!"), tokenizer.tokenize("Hello, world!"));
        assertEquals(List.of("I", "don", "￭'￭", "t", "know", "￭."), tokenizer.tokenize("I don't know."));
        assertEquals(List.of("(￭", "a", "￭)", "b"), tokenizer.tokenize("(a) b"));
        assertEquals(List.of("Wait", "￭.", "￭.", "￭."), tokenizer.tokenize("Wait..."));
    }

    @Test
    void datesAndNumbersKeepWordsFreeOfJoiners() {
        assertEquals(List.of("2026", "￭-￭", "11", "￭-￭", "24", "￭,", "ok"), tokenizer.tokenize("2026-11-24, ok"));
        assertEquals(List.of("11", "￭/￭", "24", "￭/￭", "26"), tokenizer.tokenize("11/24/26"));
        assertEquals(List.of("24", "nov", "￭.", "2026"), tokenizer.tokenize("24 nov. 2026"));
        assertEquals(List.of("3", "￭,￭", "5", "%"), tokenizer.tokenize("3,5 %"));
    }

    @Test
    void frenchApostrophesAccentsAndGuillemets() {
        assertEquals(List.of("Je", "vois", "l", "￭'￭", "éléphant", "«", "guillemets", "»", "!"),
                tokenizer.tokenize("Je vois l'éléphant « guillemets » !"));
        assertEquals(List.of("Qu", "￭’￭", "est", "￭-￭", "ce", "que", "c", "￭'￭", "est", "￭?"),
                tokenizer.tokenize("Qu’est-ce que c'est?"));
    }

    @Test
    void germanKeepsCaseAndSharpS() {
        assertEquals(List.of("Die", "Straße", "ist", "groß", "￭:", "Äpfel", "￭,", "Öl", "￭."),
                tokenizer.tokenize("Die Straße ist groß: Äpfel, Öl."));
    }

    @Test
    void combiningAccentStaysInsideTheWord() {
        assertEquals(List.of("e\u0301te\u0301", "￭!"), tokenizer.tokenize("e\u0301te\u0301!"));
    }

    @Test
    void noBreakSpacesSeparateTokens() {
        assertEquals(List.of("prix", ":", "10", "€"), tokenizer.tokenize("prix\u00a0: 10\u202f€"));
        assertEquals("prix : 10 €", tokenizer.detokenize(tokenizer.tokenize("prix\u00a0: 10\u202f€")));
    }

    @Test
    void blankTextHasNoTokens() {
        assertEquals(List.of(), tokenizer.tokenize("  \t "));
        assertEquals("", tokenizer.detokenize(List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2026-11-24, ok",
        "Hello, world! How are you?",
        "Je vois l'éléphant « guillemets » !",
        "Qu’est-ce que c'est? (rien...)",
        "Die Straße ist groß: Äpfel, Öl.",
        "Tuesday, November 24 2026",
        "the 3rd of May 1999",
        "24.11.2026 at 14:30 -- \"quoted\" [x]",
        "e-mail: a.b@c.de; price $3.50/kg",
    })
    void detokenizeInvertsTokenize(String text) {
        assertEquals(text, tokenizer.detokenize(tokenizer.tokenize(text)));
    }

    @Test
    void detokenizeNormalisesWhitespace() {
        assertEquals("Hello, world !", tokenizer.detokenize(tokenizer.tokenize("  Hello,   world\t! ")));
    }

    @Test
    void nameIsWords() {
        assertEquals("words", tokenizer.name());
    }
}
