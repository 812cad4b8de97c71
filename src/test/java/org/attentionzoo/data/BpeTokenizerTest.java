package org.attentionzoo.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.attentionzoo.data.BpeModel.Merge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BpeTokenizerTest {

    private static final List<String> TRAIN = List.of(
            "the lowest price, the newest file", "lower the newest widest window!",
            "newest files are lowest", "L'éléphant est le plus lourd.");
    private static final BpeTokenizer WORDS = BpeTokenizer.learn(new WordTokenizer(), TRAIN, 200);

    @TempDir
    Path dir;

    @Test
    void marksEverySubwordButTheLastOfItsWord() {
        BpeTokenizer t = new BpeTokenizer(new WordTokenizer(), new BpeModel(List.of(
                new Merge("e", "s"), new Merge("es", "t</w>"), new Merge("l", "o"))));
        // lowest -> lo w est; the base token "￭," is two code points that no merge joins.
        assertEquals(List.of("lo@@", "w@@", "est", "￭@@", ",", "x"), t.tokenize("lowest, x"));
        assertEquals("lowest, x", t.detokenize(t.tokenize("lowest, x")));
        assertEquals("bpe", t.name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"the lowest price, the newest file", "Unseen words: zyzzyva's 3,5 % (ok)",
            "  spaces   and\ttabs  ", "e-mail a@@b @@ x@@ @@@", "Je vois l'éléphant « guillemets » !", "", "@"})
    void roundTripEqualsTheWordTokenizersRoundTrip(String text) {
        WordTokenizer words = new WordTokenizer();
        assertEquals(words.detokenize(words.tokenize(text)), WORDS.detokenize(WORDS.tokenize(text)));
    }

    @Test
    void learnedMergesShortenFrequentWords() {
        assertEquals(List.of("newest"), WORDS.tokenize("newest"));
        List<String> rare = WORDS.tokenize("zyzzyva");
        assertEquals(List.of("z@@", "y@@", "z@@", "z@@", "y@@", "v@@", "a"), rare);
    }

    @Test
    void charsBaseSegmentsRunsBetweenSpaces() {
        BpeTokenizer zh = BpeTokenizer.learn(new CharTokenizer(), List.of("我们 我们是", "我们的", "是我们"), 10);
        // Words 我们, ▁, 我们是, 我们的, 是我们: (我,们) 2 and (我,们</w>) 2, a tie that "们" < "们</w>" breaks;
        // then (我,们</w>) 2; every other pair occurs once, so learning stops after two merges.
        assertEquals(List.of(new Merge("我", "们"), new Merge("我", "们</w>")), zh.model().merges());
        assertEquals(List.of("我们", CharTokenizer.SPACE, "我们@@", "是"), zh.tokenize("我们 我们是"));
        for (String s : List.of("我们 我们是", "a@@ b@@@ 你好@@", " 𠮷 野家 ", "我▁们")) {
            assertEquals(new CharTokenizer().detokenize(new CharTokenizer().tokenize(s)), zh.detokenize(zh.tokenize(s)), s);
        }
    }

    @Test
    void lastSubwordEndingInMarkerIsSplitSoDetokenizeStaysExact() {
        BpeTokenizer t = new BpeTokenizer(new CharTokenizer(), new BpeModel(List.of(new Merge("@", "@</w>"))));
        // a @ @</w> -> a @@</w>: subwords [a, @@]; "@@" as last token would read as a continuation.
        assertEquals(List.of("a@@", "@@@", "@"), t.tokenize("a@@"));
        assertEquals("a@@", t.detokenize(t.tokenize("a@@")));
        assertEquals("@@ b", t.detokenize(t.tokenize("@@ b")));
    }

    @Test
    void danglingContinuationFromAModelIsKept() {
        assertEquals("low", WORDS.detokenize(List.of("lo@@", "w@@")));
    }

    @Test
    void saveLoadGivesTheSameTokenizer() throws IOException {
        Path file = dir.resolve("merges.bpe");
        WORDS.save(file);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals("#attention-zoo-bpe version=1 base=words merges=" + WORDS.model().size(), lines.get(0));
        assertEquals(WORDS.model().size() + 1, lines.size());
        BpeTokenizer loaded = BpeTokenizer.load(file);
        assertEquals(WORDS, loaded);
        assertEquals(WORDS.tokenize("the lowest, newest window"), loaded.tokenize("the lowest, newest window"));
        BpeTokenizer zh = BpeTokenizer.learn(new CharTokenizer(), List.of("我们 我们"), 5);
        StringWriter w = new StringWriter();
        zh.write(w);
        assertEquals("#attention-zoo-bpe version=1 base=chars merges=1\n我 们</w>\n", w.toString());
        assertEquals(zh, BpeTokenizer.read(new StringReader(w.toString().replace("\n", "\r\n")), "zh.bpe"));
    }

    @Test
    void badFilesAreRefusedNamingFileAndLine() throws IOException {
        assertError("hello\n", "m.bpe:1: ");
        assertError("#attention-zoo-bpe version=2 base=words merges=0\n", "m.bpe:1: ");
        assertError("#attention-zoo-bpe version=1 base=sentencepiece merges=0\n", "m.bpe:1: ");
        assertError("#attention-zoo-bpe version=1 base=words merges=2\na b\na b c\n", "m.bpe:3: ");
        assertError("#attention-zoo-bpe version=1 base=words merges=2\na b\n\n", "m.bpe:3: ");
        assertError("#attention-zoo-bpe version=1 base=words merges=2\na b\na b\n", "m.bpe:3: ");
        assertError("#attention-zoo-bpe version=1 base=words merges=3\na b\nab c\n", "m.bpe:4: ");
        Path file = dir.resolve("bad.bpe");
        Files.write(file, new byte[]{'#', 'a', '\n', (byte) 0xC3});
        IOException e = assertThrows(IOException.class, () -> BpeTokenizer.load(file));
        assertTrue(e.getMessage().startsWith(file + ":"), e.getMessage());
        IOException missing = assertThrows(IOException.class, () -> BpeTokenizer.load(dir.resolve("none.bpe")));
        assertTrue(missing.getMessage().contains("none.bpe"), missing.getMessage());
    }

    @Test
    void onlyWordsAndCharsCanBeTheBase() {
        Tokenizer odd = new Tokenizer() {
            public List<String> tokenize(String text) { return List.of(text); }
            public String detokenize(List<String> tokens) { return String.join("", tokens); }
            public String name() { return "odd"; }
        };
        assertThrows(IllegalArgumentException.class, () -> new BpeTokenizer(odd, new BpeModel(List.of())));
        assertFalse(WORDS.tokenize("a b").isEmpty());
    }

    private static void assertError(String content, String prefix) {
        CorpusFormatException e = assertThrows(CorpusFormatException.class,
                () -> BpeTokenizer.read(new StringReader(content), "m.bpe"));
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }
}
