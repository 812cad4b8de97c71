package org.attentionzoo.io;

import org.attentionzoo.TinyModels;
import org.attentionzoo.data.ReverseTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.Seq2Seq;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.train.Trainer;
import org.attentionzoo.train.TrainingData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class ModelArchiveTest {

    static ReverseTask task = new ReverseTask(6, 2, 4);
    static List<SentencePair> pairs = task.generate(64, 3);
    static TranslationModel model;
    static MultiDataSet batch;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainBriefly() {
        ModelCard card = Seq2Seq.builder().embeddingSize(8).hiddenSize(12).build();
        model = TinyModels.untrained(card, task, pairs);
        Trainer.builder().model(model).data(TrainingData.batches(model, pairs, 16, 20, 1)).maxSteps(3).build().train();
        model.putProvenance(Map.of("corpus", "reverse-test"));
        batch = TrainingData.batches(model, pairs, 16, 20, 1).next();
    }

    @Test
    void saveLoadGivesIdenticalOutputsVocabulariesCardAndProvenance() throws IOException {
        Path file = dir.resolve("m.zip");
        ModelArchive.save(model, file);
        TranslationModel loaded = ModelArchive.load(file);
        assertEquals(model.card(), loaded.card());
        assertEquals(model.sourceVocab().tokens(), loaded.sourceVocab().tokens());
        assertEquals(model.targetVocab().tokens(), loaded.targetVocab().tokens());
        assertEquals(model.sourceTokenizer().name(), loaded.sourceTokenizer().name());
        assertEquals("reverse-test", loaded.provenance().get("corpus"));
        INDArray expected = model.graph().output(false, batch.getFeatures(), batch.getFeaturesMaskArrays())[0];
        INDArray actual = loaded.graph().output(false, batch.getFeatures(), batch.getFeaturesMaskArrays())[0];
        assertEquals(expected, actual);
        assertEquals(model.graph().getUpdater().getStateViewArray(), loaded.graph().getUpdater().getStateViewArray(),
                "optimiser state is kept so training can resume");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void checkpointCarriesATrainingStateThatLoadIgnores() throws IOException {
        Path plain = dir.resolve("plain.zip");
        Path checkpoint = dir.resolve("last.zip");
        ModelArchive.save(model, plain);
        ModelArchive.save(model, checkpoint, Map.of("step", "3", "batchInEpoch", "1"));
        assertEquals(Map.of(), ModelArchive.trainingState(plain));
        assertEquals(Map.of("step", "3", "batchInEpoch", "1"), ModelArchive.trainingState(checkpoint));
        assertEquals(model.graph().params(), ModelArchive.load(checkpoint).graph().params());
        Path broken = dir.resolve("broken.zip");
        copyWithout(checkpoint, broken, "training-state.json", "training-state.json", "{\"step\": ");
        IOException e = assertThrows(IOException.class, () -> ModelArchive.trainingState(broken));
        assertTrue(e.getMessage().contains("broken.zip") && e.getMessage().contains("training-state.json"), e.getMessage());
    }

    @Test
    void missingPartIsNamed() throws IOException {
        Path good = dir.resolve("good.zip");
        ModelArchive.save(model, good);
        Path bad = dir.resolve("bad.zip");
        copyWithout(good, bad, "target.vocab", null, null);
        IOException e = assertThrows(IOException.class, () -> ModelArchive.load(bad));
        assertTrue(e.getMessage().contains("bad.zip") && e.getMessage().contains("target.vocab"), e.getMessage());
    }

    @Test
    void vocabularyThatDoesNotMatchTheGraphIsRefused() throws IOException {
        Path good = dir.resolve("good.zip");
        ModelArchive.save(model, good);
        Path bad = dir.resolve("mismatch.zip");
        StringBuilder vocab = new StringBuilder();
        for (String t : model.targetVocab().tokens()) {
            vocab.append(t).append('\n');
        }
        vocab.append("extra-token\n");
        copyWithout(good, bad, "target.vocab", "target.vocab", vocab.toString());
        IOException e = assertThrows(IOException.class, () -> ModelArchive.load(bad));
        assertTrue(e.getMessage().contains("mismatch.zip"), e.getMessage());
        assertTrue(e.getMessage().contains((model.targetVocab().size() + 1) + " entries"), e.getMessage());
    }

    @Test
    void otherFormatVersionIsRefused() throws IOException {
        Path good = dir.resolve("good.zip");
        ModelArchive.save(model, good);
        Path bad = dir.resolve("future.zip");
        copyWithout(good, bad, "format.json", "format.json",
                "{\"format\": \"attention-zoo-model\", \"formatVersion\": 99}");
        IOException e = assertThrows(IOException.class, () -> ModelArchive.load(bad));
        assertTrue(e.getMessage().contains("version 99"), e.getMessage());
    }

    @Test
    void corruptedOrMissingFileIsRefusedAndNamed() throws IOException {
        Path good = dir.resolve("good.zip");
        ModelArchive.save(model, good);
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.zip");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        IOException e = assertThrows(IOException.class, () -> ModelArchive.load(truncated));
        assertTrue(e.getMessage().contains("truncated.zip"), e.getMessage());
        IOException missing = assertThrows(IOException.class, () -> ModelArchive.load(dir.resolve("nope.zip")));
        assertTrue(missing.getMessage().contains("nope.zip") && missing.getMessage().contains("not found"));
    }

    @Test
    void savingOverAnExistingModelReplacesItWhole() throws IOException {
        Path file = dir.resolve("m.zip");
        Files.writeString(file, "an older file");
        ModelArchive.save(model, file);
        assertEquals(model.targetVocab().size(), ModelArchive.load(file).targetVocab().size());
    }

    /** Copies a zip, dropping entry {@code drop} and optionally adding {@code add} with {@code content}. */
    private static void copyWithout(Path from, Path to, String drop, String add, String content) throws IOException {
        try (ZipFile in = new ZipFile(from.toFile()); OutputStream raw = Files.newOutputStream(to);
             ZipOutputStream out = new ZipOutputStream(raw)) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                if (e.getName().equals(drop)) {
                    continue;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(in.getInputStream(e).readAllBytes());
                out.closeEntry();
            }
            if (add != null) {
                out.putNextEntry(new ZipEntry(add));
                out.write(content.getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }
}
