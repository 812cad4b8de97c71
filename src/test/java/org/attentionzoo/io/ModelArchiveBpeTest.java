package org.attentionzoo.io;

import org.attentionzoo.data.BpeTokenizer;
import org.attentionzoo.data.CharTokenizer;
import org.attentionzoo.data.Tokenizer;
import org.attentionzoo.data.Tokenizers;
import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.data.WordTokenizer;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.Seq2Seq;
import org.attentionzoo.models.TranslationModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** Models whose tokenizers are BPE, and models saved before BPE existed. */
class ModelArchiveBpeTest {

    static final List<String> SOURCE = List.of("the lowest price", "the newest file", "lower prices", "newest files");
    static final List<String> TARGET = List.of("我们的价格", "我们 最新", "价格 最新的", "我们是");
    static final ModelCard CARD = Seq2Seq.builder().embeddingSize(4).hiddenSize(6).build();

    @TempDir
    Path dir;

    static TranslationModel model(Tokenizer source, Tokenizer target) {
        return TranslationModel.create(CARD, vocabulary(source, SOURCE), vocabulary(target, TARGET), source, target);
    }

    static Vocabulary vocabulary(Tokenizer tokenizer, List<String> texts) {
        List<List<String>> tokenized = new ArrayList<>();
        for (String t : texts) {
            tokenized.add(tokenizer.tokenize(t));
        }
        return Vocabulary.build(tokenized, 1, 1000);
    }

    @Test
    void bpeTokenizersAreSavedInTheArchiveAndRestored() throws IOException {
        BpeTokenizer source = (BpeTokenizer) Tokenizers.learn("bpe:50", SOURCE);
        BpeTokenizer target = (BpeTokenizer) Tokenizers.learn("bpe-chars:50", TARGET);
        assertTrue(source.model().size() > 0 && target.model().size() > 0, "the test needs merges on both sides");
        Path file = dir.resolve("bpe.zip");
        ModelArchive.save(model(source, target), file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String prep = new String(zip.getInputStream(zip.getEntry("preprocessing.json")).readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(prep.contains("\"sourceBpeMerges\" : \"source.bpe\""), prep);
            assertTrue(prep.contains("\"targetBpeMerges\" : \"target.bpe\""), prep);
            assertNotNull(zip.getEntry("source.bpe"));
        }
        TranslationModel loaded = ModelArchive.load(file);
        assertEquals(source, loaded.sourceTokenizer());
        assertEquals(target, loaded.targetTokenizer());
        assertEquals("chars", ((BpeTokenizer) loaded.targetTokenizer()).base().name());
        assertEquals(source.tokenize("the lowest files"), loaded.sourceTokenizer().tokenize("the lowest files"));
    }

    @Test
    void aSideWithoutBpeWritesNoMergeEntry() throws IOException {
        Path file = dir.resolve("mixed.zip");
        ModelArchive.save(model(Tokenizers.learn("bpe:20", SOURCE), new CharTokenizer()), file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertNotNull(zip.getEntry("source.bpe"));
            assertNull(zip.getEntry("target.bpe"));
        }
        TranslationModel loaded = ModelArchive.load(file);
        assertInstanceOf(BpeTokenizer.class, loaded.sourceTokenizer());
        assertInstanceOf(CharTokenizer.class, loaded.targetTokenizer());
    }

    @Test
    void modelSavedBeforeBpeExistedStillLoads() throws IOException {
        // Rebuild the archive exactly as the code before BPE wrote it: its preprocessing.json held only the
        // two tokenizer names, and there were no *.bpe entries.
        Path current = dir.resolve("current.zip");
        TranslationModel model = model(new WordTokenizer(), new CharTokenizer());
        ModelArchive.save(model, current);
        Path old = dir.resolve("old.zip");
        rewrite(current, old, Map.of("preprocessing.json",
                "{\n  \"sourceTokenizer\" : \"words\",\n  \"targetTokenizer\" : \"chars\"\n}"));
        try (ZipFile zip = new ZipFile(old.toFile())) {
            assertEquals(List.of("format.json", "card.json", "preprocessing.json", "source.vocab", "target.vocab",
                    "provenance.json", "graph.zip"), zip.stream().map(ZipEntry::getName).toList());
        }
        TranslationModel loaded = ModelArchive.load(old);
        assertInstanceOf(WordTokenizer.class, loaded.sourceTokenizer());
        assertInstanceOf(CharTokenizer.class, loaded.targetTokenizer());
        assertEquals(model.sourceVocab().tokens(), loaded.sourceVocab().tokens());
        assertEquals(model.graph().params(), loaded.graph().params());
    }

    @Test
    void missingOrBrokenMergeEntryIsNamed() throws IOException {
        Path good = dir.resolve("good.zip");
        ModelArchive.save(model(Tokenizers.learn("bpe:20", SOURCE), new WordTokenizer()), good);
        Path missing = dir.resolve("missing.zip");
        rewrite(good, missing, Map.of("source.bpe", ""));
        IOException e = assertThrows(IOException.class, () -> ModelArchive.load(missing));
        assertTrue(e.getMessage().contains("missing.zip") && e.getMessage().contains("source.bpe"), e.getMessage());
        Path broken = dir.resolve("broken.zip");
        rewrite(good, broken, Map.of("source.bpe", "#attention-zoo-bpe version=1 base=words merges=1\na b c\n"));
        IOException b = assertThrows(IOException.class, () -> ModelArchive.load(broken));
        assertTrue(b.getMessage().startsWith(broken + "!/source.bpe:2: "), b.getMessage());
    }

    /** Copies a zip replacing entries by new content; an empty replacement drops the entry. */
    private static void rewrite(Path from, Path to, Map<String, String> replace) throws IOException {
        try (ZipFile in = new ZipFile(from.toFile()); OutputStream raw = Files.newOutputStream(to);
             ZipOutputStream out = new ZipOutputStream(raw)) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                String content = replace.get(e.getName());
                if (content != null && content.isEmpty()) {
                    continue;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(content != null ? content.getBytes(StandardCharsets.UTF_8) : in.getInputStream(e).readAllBytes());
                out.closeEntry();
            }
        }
    }
}
