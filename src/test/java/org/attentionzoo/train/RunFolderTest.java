package org.attentionzoo.train;

import org.attentionzoo.TinyModels;
import org.attentionzoo.data.ReverseTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.models.Seq2Seq;
import org.attentionzoo.models.TranslationModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A training run touches only its own files: it cleans up its own temporary files and nobody else's. */
class RunFolderTest {

    @TempDir
    Path dir;

    private static final List<String> OTHERS = List.of("foo.zip.123.tmp", "last.zip.5.tmp", ".training.x.tmp",
            ".last.zip.abc.azoo-tmp", ".notes.txt.12.azoo-tmp", "notes.txt",
            ".ckpt-x.zip.5.azoo-tmp", "ckpt-5.zip.5.azoo-tmp");
    private static final List<String> OURS = List.of(".last.zip.42.azoo-tmp", ".model.zip.7.azoo-tmp",
            ".training.csv.9.azoo-tmp", ".training.png.11.azoo-tmp", ".best.zip.3.azoo-tmp",
            ".ckpt-500.zip.8.azoo-tmp");

    private Set<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void openingRemovesOnlyTheTemporaryFilesOfTheRunsOwnFiles() throws IOException {
        for (String n : OTHERS) {
            Files.writeString(dir.resolve(n), n);
        }
        for (String n : OURS) {
            Files.writeString(dir.resolve(n), n);
        }
        try (RunFolder f = RunFolder.open(dir)) {
            Set<String> expected = new TreeSet<>(OTHERS);
            expected.add(".lock");
            assertEquals(expected, names());
        }
        for (String n : OTHERS) {
            assertEquals(n, Files.readString(dir.resolve(n)), "left as it was");
        }
    }

    @Test
    void aTrainingRunLeavesUnrelatedTemporaryFilesAlone() throws IOException {
        Files.writeString(dir.resolve("foo.zip.123.tmp"), "not ours");
        ReverseTask task = new ReverseTask(6, 2, 4);
        List<SentencePair> pairs = task.generate(32, 3);
        TranslationModel model = TinyModels.untrained(Seq2Seq.builder().embeddingSize(8).hiddenSize(8).build(), task, pairs);
        Trainer.builder().model(model).data(TrainingData.batches(model, pairs, 16, 20, 1)).maxSteps(2).out(dir)
                .build().train();
        assertEquals("not ours", Files.readString(dir.resolve("foo.zip.123.tmp")));
        Set<String> left = names();
        assertTrue(left.containsAll(Set.of("last.zip", "model.zip", "foo.zip.123.tmp")), left.toString());
        assertTrue(left.stream().noneMatch(n -> n.endsWith(".azoo-tmp")), left.toString());
    }
}
