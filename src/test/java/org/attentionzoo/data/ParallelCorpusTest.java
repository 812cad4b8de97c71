package org.attentionzoo.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelCorpusTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.write(dir.resolve(name), content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsPairsWithOrigins() throws IOException {
        Path file = write("zh.tsv", "Hi.\t你好。\nI see.\t我明白了。\n");
        ParallelCorpus corpus = ParallelCorpus.read(file, false);
        assertEquals(List.of(new SentencePair("Hi.", "你好。", "zh.tsv:1"),
                new SentencePair("I see.", "我明白了。", "zh.tsv:2")), corpus.pairs());
        assertEquals(0, corpus.skippedLines());
    }

    @Test
    void ankiThirdColumnIsIgnored() throws IOException {
        Path file = write("fra.txt", "Go.\tVa !\tCC-BY 2.0 (France) Attribution: tatoeba.org #2877272 (CM) & #1158250 (Wittydev)\n"
                + "Hi.\tSalut !\tCC-BY 2.0 (France) Attribution: tatoeba.org #538123 (CM) & #509819 (Aiji)\n");
        assertEquals(List.of(new SentencePair("Go.", "Va !", "fra.txt:1"), new SentencePair("Hi.", "Salut !", "fra.txt:2")),
                ParallelCorpus.read(file).pairs());
    }

    @Test
    void byteOrderMarkIsStripped() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        bytes.write("été\tsummer\n".getBytes(StandardCharsets.UTF_8));
        Path file = Files.write(dir.resolve("bom.tsv"), bytes.toByteArray());
        assertEquals(List.of(new SentencePair("été", "summer", "bom.tsv:1")), ParallelCorpus.read(file).pairs());
    }

    @Test
    void crlfAndBlankLinesAndMissingFinalNewline() throws IOException {
        Path file = write("crlf.tsv", "a\tb\r\n\r\n   \r\nc\td\r\ne\tf");
        assertEquals(List.of(new SentencePair("a", "b", "crlf.tsv:1"), new SentencePair("c", "d", "crlf.tsv:4"),
                new SentencePair("e", "f", "crlf.tsv:5")), ParallelCorpus.read(file).pairs());
    }

    @Test
    void noTabIsAnErrorNamingFileAndLine() throws IOException {
        Path file = write("notab.tsv", "a\tb\nc\td\nno tab here\n");
        CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> ParallelCorpus.read(file));
        assertTrue(e.getMessage().startsWith(file + ":3: "), e.getMessage());
        assertTrue(e.getMessage().contains("notab.tsv:3:"), e.getMessage());
        assertEquals(3, e.line());
    }

    @Test
    void invalidUtf8IsAnErrorNamingFileAndLine() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write("ok\tfine\n".getBytes(StandardCharsets.UTF_8));
        bytes.write(new byte[] {'c', 'a', 'f', (byte) 0xE9, '\t', 'x', '\n'}); // Latin-1 é
        Path file = Files.write(dir.resolve("latin1.tsv"), bytes.toByteArray());
        CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> ParallelCorpus.read(file));
        assertTrue(e.getMessage().startsWith(file + ":2: invalid UTF-8"), e.getMessage());
    }

    @Test
    void skipBadLinesSkipsInvalidUtf8LinesToo() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write("ok\tfine\n".getBytes(StandardCharsets.UTF_8));
        bytes.write(new byte[] {'c', 'a', 'f', (byte) 0xE9, '\t', 'x', '\n'}); // Latin-1 é
        bytes.write(new byte[] {'a', '\t', (byte) 0xC3, '\n'});                 // a truncated 2-byte sequence
        bytes.write("caf\u00e9\tcoffee\n".getBytes(StandardCharsets.UTF_8));
        Path file = Files.write(dir.resolve("latin1.tsv"), bytes.toByteArray());
        ParallelCorpus corpus = ParallelCorpus.read(file, true);
        assertEquals(List.of("latin1.tsv:1", "latin1.tsv:4"), corpus.pairs().stream().map(SentencePair::origin).toList());
        assertEquals("caf\u00e9", corpus.pairs().get(1).source());
        assertEquals(2, corpus.skippedLines());
        assertTrue(corpus.skippedLineMessages().get(0).startsWith(file + ":2: invalid UTF-8"),
                corpus.skippedLineMessages().toString());
        assertTrue(corpus.skippedLineMessages().get(1).startsWith(file + ":3: invalid UTF-8"),
                corpus.skippedLineMessages().toString());
    }

    @Test
    void emptyFileIsAnErrorNamingIt() throws IOException {
        Path file = write("empty.tsv", "\n  \n");
        CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> ParallelCorpus.read(file));
        assertTrue(e.getMessage().contains("empty.tsv") && e.getMessage().contains("no sentence pairs"), e.getMessage());
    }

    @Test
    void missingFileIsAClearErrorAndIsNotCreated() {
        Path file = dir.resolve("missing.tsv");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> ParallelCorpus.read(file));
        assertTrue(e.getMessage().contains("missing.tsv") && e.getMessage().contains("not found"), e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void skipBadLinesCountsThem() throws IOException {
        Path file = write("skip.tsv", "a\tb\nbad\nc\td\n \tz\nworse\ne\tf\n");
        ParallelCorpus corpus = ParallelCorpus.read(file, true);
        assertEquals(List.of("skip.tsv:1", "skip.tsv:3", "skip.tsv:6"),
                corpus.pairs().stream().map(SentencePair::origin).toList());
        assertEquals(3, corpus.skippedLines());
        assertTrue(corpus.skippedLineMessages().get(1).startsWith(file + ":4: empty source"));
    }

    @Test
    void allLinesBadIsAnError() throws IOException {
        Path file = write("allbad.tsv", "x\ny\n");
        CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> ParallelCorpus.read(file, true));
        assertTrue(e.getMessage().contains("all 2 non-blank lines were bad"), e.getMessage());
    }
}
