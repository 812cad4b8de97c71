package org.attentionzoo.cli;

import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train --keep-checkpoints} then {@code average}, from the command line. */
class AverageCommandTest {

    @TempDir
    Path dir;

    private CliRun train(Path out, int hidden, int steps) throws IOException {
        Path corpus = dir.resolve("train.tsv");
        StringBuilder tsv = new StringBuilder();
        String[][] words = {{"one", "un"}, {"two", "deux"}, {"three", "trois"}, {"four", "quatre"}};
        for (int i = 0; i < 32; i++) {
            tsv.append(words[i % 4][0]).append(' ').append(words[(i / 4) % 4][0]).append('\t')
                    .append(words[i % 4][1]).append(' ').append(words[(i / 4) % 4][1]).append('\n');
        }
        Files.writeString(corpus, tsv.toString());
        Path card = dir.resolve("tiny" + hidden + ".json");
        Files.writeString(card, "{\"name\": \"tiny\", \"family\": \"seq2seq\", \"embeddingSize\": 8, \"hiddenSize\": "
                + hidden + ", \"learningRate\": 0.01}");
        return CliRun.run("", "train", "--model", card.toString(), "--train", corpus.toString(),
                "--source-tokenizer", "words", "--target-tokenizer", "words", "--out", out.toString(),
                "--steps", Integer.toString(steps), "--batch", "16", "--eval-every", "2", "--keep-checkpoints", "2");
    }

    @Test
    void averagesTheRunsLastCheckpoints() throws IOException {
        Path run = dir.resolve("run");
        CliRun t = train(run, 8, 6);
        assertEquals(0, t.code(), t.err());
        assertFalse(Files.exists(run.resolve("ckpt-2.zip")), "only the last two are kept");
        float[] a = ModelArchive.load(run.resolve("ckpt-4.zip"), false).graph().params().toFloatVector();
        float[] b = ModelArchive.load(run.resolve("ckpt-6.zip"), false).graph().params().toFloatVector();

        Path out = dir.resolve("avg.zip");
        CliRun avg = CliRun.run("", "average", "--run", run.toString(), "--out", out.toString());
        assertEquals(0, avg.code(), avg.err());
        assertEquals("written " + out + ": the average of 2 models (ckpt-4.zip, ckpt-6.zip)", avg.out().strip());
        TranslationModel m = ModelArchive.load(out, false);
        float[] p = m.graph().params().toFloatVector();
        assertEquals(a.length, p.length);
        for (int i = 0; i < p.length; i++) {
            assertEquals((float) (((double) a[i] + b[i]) / 2), p[i], 0f, "parameter " + i);
        }
        assertTrue(Files.size(out) < Files.size(run.resolve("last.zip")), "no optimizer state");

        CliRun translate = CliRun.run("one two\n", "translate", "--model", out.toString());
        assertEquals(0, translate.code(), translate.err());

        Path lastOnly = dir.resolve("last1.zip");
        CliRun one = CliRun.run("", "average", "--run", run.toString(), "--last", "1", "--out", lastOnly.toString());
        assertEquals(0, one.code(), one.err());
        assertEquals("written " + lastOnly + ": the average of 1 models (ckpt-6.zip)", one.out().strip());
    }

    @Test
    void refusesModelsOfAnotherCardAndRunsWithoutCheckpointsInOneLine() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, train(run, 8, 2).code());
        Path other = dir.resolve("other");
        assertEquals(0, train(other, 6, 2).code());
        Path a = run.resolve("ckpt-2.zip");
        Path b = other.resolve("ckpt-2.zip");
        CliRun r = CliRun.run("", "average", "--models", a.toString(), b.toString(), "--out", dir.resolve("x.zip").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("error: " + b + ": not the same model as " + a + " (card"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(dir.resolve("x.zip")));

        CliRun none = CliRun.run("", "average", "--run", dir.toString(), "--out", dir.resolve("y.zip").toString());
        assertEquals(1, none.code());
        assertEquals("error: " + dir + ": no kept checkpoints (ckpt-STEP.zip); train with --keep-checkpoints N",
                none.err().strip());
    }
}
