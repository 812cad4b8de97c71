package org.attentionzoo.data;

import org.attentionzoo.train.TrainingData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The character fallback of BPE vocabularies, and text that software messages must carry through unchanged
 * (placeholders, accelerators, option names, paths, URLs, markup).
 */
class BpeFallbackTest {

    /** Hand-written software messages, single-spaced so the word tokenizer's round trip is the identity. */
    static final List<String> MESSAGES = List.of(
            "Could not open file %s: %s",
            "Deleted %(count)d messages from {0}",
            "&File _Open recent --depth=3 -v",
            "See https://example.org/docs/index.html?x=1 or /usr/share/doc/app/README",
            "<b>Warning:</b> %1$s is read-only",
            "Press Ctrl+Q to quit ${HOME}");

    @Test
    void fallbackSymbolsAreEveryCharacterInBothForms() {
        BpeTokenizer bpe = BpeTokenizer.learn(new WordTokenizer(), List.of("ab a"), 0);
        assertEquals(List.of("a", "a@@", "b", "b@@"), bpe.fallbackSymbols(List.of("ab a")));
    }

    @Test
    void aBpeVocabularyNeverMapsSeenCharactersToUnkWhateverItsSizeLimit() {
        BpeTokenizer learned = BpeTokenizer.learn(new WordTokenizer(), MESSAGES, 50);
        // A limit of 10 keeps 6 frequent subwords; the fallback adds every character beyond it, and the
        // tokenizer limited to the vocabulary splits the merged subwords it lacks.
        Vocabulary vocab = TrainingData.vocabulary(MESSAGES, learned, 1, 10);
        BpeTokenizer bpe = learned.restrictedTo(vocab.tokens());
        // Words never seen, made of seen characters, in every position of a word.
        for (String unseen : List.of("quiet %(depth)s", "<Warning> {count}", "--help /doc/x_y &Quit")) {
            int[] ids = vocab.encode(bpe.tokenize(unseen));
            for (int id : ids) {
                assertFalse(id == Vocabulary.UNK_ID, unseen + " -> " + vocab.decode(ids));
            }
            assertEquals(unseen, bpe.detokenize(vocab.decode(ids)), "decoded back exactly");
        }
        // Only characters never seen at all are unknown.
        assertEquals(List.of("<unk>"), vocab.decode(vocab.encode(bpe.tokenize("\u00e9"))));
    }

    @Test
    void aLimitedTokenizerSplitsMergesItsVocabularyLacksBackIntoTheirParts() {
        // Merges (ranked): "l o", "lo w</w>", "e r</w>" -> "lower" is [lo@@, w@@, er] unlimited.
        BpeTokenizer bpe = new BpeTokenizer(new WordTokenizer(), new BpeModel(List.of(new BpeModel.Merge("l", "o"),
                new BpeModel.Merge("lo", "w</w>"), new BpeModel.Merge("e", "r</w>"))));
        assertEquals(List.of("low"), bpe.tokenize("low"));
        assertEquals(List.of("lo@@", "w@@", "er"), bpe.tokenize("lower"));
        BpeTokenizer limited = bpe.restrictedTo(List.of("lo@@", "e@@", "r", "w", "w@@"));
        assertEquals(List.of("lo@@", "w"), limited.tokenize("low"), "low</w> = lo + w</w>");
        assertEquals(List.of("lo@@", "w@@", "e@@", "r"), limited.tokenize("lower"), "er</w> = e + r</w>");
        assertEquals(List.of("l@@", "o@@", "w"), bpe.restrictedTo(List.of("w")).tokenize("low"), "down to characters");
        assertEquals("lower low", limited.detokenize(limited.tokenize("lower low")));
    }

    @Test
    void withoutBpeTheVocabularyIsTheCountedOneAlone() {
        Tokenizer words = new WordTokenizer();
        assertEquals(Vocabulary.build(MESSAGES.stream().map(words::tokenize).toList(), 1, 10).tokens(),
                TrainingData.vocabulary(MESSAGES, words, 1, 10).tokens());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 20, 200})
    void placeholdersAndMarkupRoundTripExactly(int merges) {
        BpeTokenizer bpe = BpeTokenizer.learn(new WordTokenizer(), MESSAGES, merges);
        for (String line : MESSAGES) {
            assertEquals(line, bpe.detokenize(bpe.tokenize(line)), merges + " merges");
        }
    }

    @Test
    void aPrintfPlaceholderIsSplitAsHandComputed() {
        // '%' stands alone; '(' and ')' are glued on both sides, so they carry joiners; "name" and "s" do not.
        assertEquals(List.of("%", "\uFFED(\uFFED", "name", "\uFFED)\uFFED", "s"), new WordTokenizer().tokenize("%(name)s"));
        BpeTokenizer none = BpeTokenizer.learn(new WordTokenizer(), List.of("%(name)s"), 0);
        assertEquals(List.of("%", "\uFFED@@", "(@@", "\uFFED", "n@@", "a@@", "m@@", "e", "\uFFED@@", ")@@", "\uFFED", "s"),
                none.tokenize("%(name)s"));
    }
}
