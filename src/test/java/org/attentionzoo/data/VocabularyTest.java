package org.attentionzoo.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {

    // Counts: a 3, b 2, c 1, d 1.
    private static final List<List<String>> SENTENCES = List.of(
            List.of("b", "a", "c"), List.of("a", "b"), List.of("d", "a"));

    @TempDir
    Path dir;

    @Test
    void buildOrdersByFrequencyThenAlphabetically() {
        Vocabulary v = Vocabulary.build(SENTENCES, 1, 100);
        assertEquals(List.of("<pad>", "<s>", "</s>", "<unk>", "a", "b", "c", "d"), v.tokens());
        assertEquals(8, v.size());
        assertEquals(4, v.id("a"));
        assertEquals(7, v.id("d"));
        assertEquals("c", v.token(6));
    }

    @Test
    void minFrequencyAndMaxSizeCut() {
        assertEquals(List.of("<pad>", "<s>", "</s>", "<unk>", "a", "b"), Vocabulary.build(SENTENCES, 2, 100).tokens());
        assertEquals(List.of("<pad>", "<s>", "</s>", "<unk>", "a", "b", "c"), Vocabulary.build(SENTENCES, 1, 7).tokens());
        assertEquals(List.of("<pad>", "<s>", "</s>", "<unk>"), Vocabulary.build(SENTENCES, 1, 4).tokens());
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(SENTENCES, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(SENTENCES, 0, 10));
    }

    @Test
    void specialsHaveFixedIdsAndAreNotAddedTwice() {
        Vocabulary v = Vocabulary.build(List.of(List.of("</s>", "x", "<unk>")), 1, 100);
        assertEquals(List.of("<pad>", "<s>", "</s>", "<unk>", "x"), v.tokens());
        assertEquals(Vocabulary.PAD_ID, v.id(Vocabulary.PAD));
        assertEquals(Vocabulary.BOS_ID, v.id(Vocabulary.BOS));
        assertEquals(Vocabulary.EOS_ID, v.id(Vocabulary.EOS));
        assertEquals(Vocabulary.UNK_ID, v.id(Vocabulary.UNK));
    }

    @Test
    void tokensWithLineBreaksOrBlankAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(List.of(List.of("a\nb")), 1, 10));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(List.of(List.of(" ")), 1, 10));
    }

    @Test
    void encodeDecodeAndContains() {
        Vocabulary v = Vocabulary.build(SENTENCES, 1, 100);
        assertArrayEquals(new int[] {4, 3, 7}, v.encode(List.of("a", "zz", "d")));
        assertEquals(List.of("a", "b", "<unk>"), v.decode(new int[] {1, 4, 0, 5, 3, 2, 6, 6}));
        assertEquals(List.of("c"), v.decode(new int[] {6}));
        assertTrue(v.contains("b"));
        assertTrue(v.contains("<s>"));
        assertFalse(v.contains("zz"));
        assertEquals(Vocabulary.UNK_ID, v.id("zz"));
        assertThrows(IllegalArgumentException.class, () -> v.token(8));
    }

    @Test
    void unkRateCountsUnknownTokens() {
        Vocabulary v = Vocabulary.build(SENTENCES, 2, 100);
        assertEquals(0.5, v.unkRate(List.of(List.of("a", "zz"), List.of("c", "b"))), 1e-12);
        assertEquals(0.0, v.unkRate(List.of()), 0.0);
    }

    @Test
    void writeGivesOneTokenPerLine() throws IOException {
        StringWriter out = new StringWriter();
        Vocabulary.build(List.of(List.of("é", "東")), 1, 100).write(out);
        assertEquals("<pad>\n<s>\n</s>\n<unk>\né\n東\n", out.toString());
    }

    @Test
    void saveLoadRoundTrip() throws IOException {
        Vocabulary v = Vocabulary.build(List.of(List.of("l", "￭'￭", "éléphant", "𠮷")), 1, 100);
        Path file = dir.resolve("vocab.txt");
        v.save(file);
        Vocabulary back = Vocabulary.load(file);
        assertEquals(v.tokens(), back.tokens());
        assertEquals(v.id("𠮷"), back.id("𠮷"));
    }

    @Test
    void readAcceptsCrlf() throws IOException {
        Vocabulary v = Vocabulary.read(new StringReader("<pad>\r\n<s>\r\n</s>\r\n<unk>\r\nx\r\n"), "v");
        assertEquals(List.of("<pad>", "<s>", "</s>", "<unk>", "x"), v.tokens());
    }

    @Test
    void wrongSpecialsNameOriginAndLine() {
        CorpusFormatException e = assertThrows(CorpusFormatException.class,
                () -> Vocabulary.read(new StringReader("<pad>\n<unk>\n</s>\n<s>\nx\n"), "vocab.txt"));
        assertTrue(e.getMessage().startsWith("vocab.txt:2: "), e.getMessage());
        assertEquals(2, e.line());
    }

    @Test
    void duplicateTokenIsAnError() {
        CorpusFormatException e = assertThrows(CorpusFormatException.class,
                () -> Vocabulary.read(new StringReader("<pad>\n<s>\n</s>\n<unk>\nx\ny\nx\n"), "v.txt"));
        assertTrue(e.getMessage().startsWith("v.txt:7: duplicate token 'x' (first on line 5)"), e.getMessage());
    }

    @Test
    void blankLineIsAnError() {
        CorpusFormatException e = assertThrows(CorpusFormatException.class,
                () -> Vocabulary.read(new StringReader("<pad>\n<s>\n</s>\n<unk>\nx\n  \ny\n"), "v.txt"));
        assertTrue(e.getMessage().startsWith("v.txt:6: blank line"), e.getMessage());
    }

    @Test
    void truncatedFileIsAnError() {
        CorpusFormatException e = assertThrows(CorpusFormatException.class,
                () -> Vocabulary.read(new StringReader("<pad>\n<s>\n"), "v.txt"));
        assertTrue(e.getMessage().startsWith("v.txt:3: "), e.getMessage());
    }

    @Test
    void loadRejectsInvalidUtf8WithFileAndLine() throws IOException {
        Path file = dir.resolve("bad-vocab.txt");
        byte[] head = "<pad>\n<s>\n</s>\n<unk>\nok\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'c', 'a', 'f', (byte) 0xC3, '(', '\n'};
        byte[] all = new byte[head.length + bad.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bad, 0, all, head.length, bad.length);
        Files.write(file, all);
        CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> Vocabulary.load(file));
        assertTrue(e.getMessage().startsWith(file + ":6: invalid UTF-8"), e.getMessage());
    }

    @Test
    void extendKeepsOldIdsAndAppendsFrequentNewTokens() {
        Vocabulary old = Vocabulary.build(SENTENCES, 1, 100); // specials, a b c d
        // New counts: e 3, a 2 (old), f 2, g 1, <unk> 1 (special, old).
        List<List<String>> corpus = List.of(List.of("e", "f", "a"), List.of("g", "e", "a"), List.of("f", "e", "<unk>"));
        Vocabulary extended = old.extend(corpus, 2, 100);
        assertEquals(List.of("<pad>", "<s>", "</s>", "<unk>", "a", "b", "c", "d", "e", "f"), extended.tokens());
        assertEquals(List.of("<pad>", "<s>", "</s>", "<unk>", "a", "b", "c", "d", "e", "f", "g"),
                old.extend(corpus, 1, 100).tokens());
        assertEquals(List.of("<pad>", "<s>", "</s>", "<unk>", "a", "b", "c", "d", "e"), old.extend(corpus, 1, 9).tokens());
        assertEquals(old.tokens(), old.extend(corpus, 1, 5).tokens(), "old tokens are never dropped");
        assertThrows(IllegalArgumentException.class, () -> old.extend(corpus, 0, 100));
    }
}
