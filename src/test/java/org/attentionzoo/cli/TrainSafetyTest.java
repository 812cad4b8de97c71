package org.attentionzoo.cli;

import org.attentionzoo.io.ModelArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code train} on careless or hostile settings: one line on stderr, exit 1, nothing it should not write. */
class TrainSafetyTest {

    @TempDir
    Path dir;

    Path train;

    @BeforeEach
    void corpus() throws IOException {
        StringBuilder tsv = new StringBuilder();
        String[][] words = {{"one", "un"}, {"two", "deux"}, {"three", "trois"}, {"four", "quatre"}};
        for (int i = 0; i < 32; i++) {
            tsv.append(words[i % 4][0]).append(' ').append(words[(i / 4) % 4][0]).append('\t')
                    .append(words[i % 4][1]).append(' ').append(words[(i / 4) % 4][1]).append('\n');
        }
        train = Files.writeString(dir.resolve("train.tsv"), tsv.toString());
    }

    private Path card(double learningRate) throws IOException {
        return Files.writeString(dir.resolve("card.json"), "{\"name\": \"tiny\", \"family\": \"seq2seq\", \"embeddingSize\": 8,"
                + " \"hiddenSize\": 8, \"learningRate\": " + learningRate + "}");
    }

    @Test
    void divergenceStopsWithExitOneNamingTheStepAndTheKeptCheckpoint() throws IOException {
        Path out = dir.resolve("run");
        CliRun r = CliRun.run("", "train", "--model", card(1e30).toString(), "--train", train.toString(),
                "--out", out.toString(), "--steps", "10", "--batch", "16");
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: training diverged at step 1: a parameter has grown to "), r.err());
        assertTrue(r.err().contains("the last good checkpoint is " + out.resolve("last.zip") + " (step 0)"), r.err());
        assertFalse(Files.exists(out.resolve("model.zip")));
        assertEquals("0", ModelArchive.trainingState(out.resolve("last.zip")).get("step"));
    }

    @Test
    void negativeOrNonFiniteBudgetIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path out = dir.resolve("never");
        for (String[] budget : new String[][] {{"--minutes", "-1"}, {"--minutes", "NaN"}, {"--minutes", "Infinity"},
                {"--steps", "-5"}, {"--epochs", "-2"}}) {
            CliRun r = CliRun.run("", "train", "--model", card(0.01).toString(), "--train", train.toString(),
                    "--out", out.toString(), budget[0], budget[1]);
            assertEquals(1, r.code(), String.join(" ", budget));
            assertTrue(r.err().startsWith("error: --minutes, --epochs and --steps must be positive numbers, or 0 for"
                    + " no such limit; got "), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(Files.exists(out), "nothing written for " + String.join(" ", budget));
        }
    }

    @Test
    void skipBadLinesSkipsInvalidUtf8() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(Files.readAllBytes(train));
        bytes.write(new byte[] {'c', 'a', 'f', (byte) 0xE9, '\t', 'x', '\n'});
        Path latin1 = Files.write(dir.resolve("mixed.tsv"), bytes.toByteArray());
        Path strictOut = dir.resolve("strict");
        CliRun strict = CliRun.run("", "train", "--model", card(0.01).toString(), "--train", latin1.toString(),
                "--out", strictOut.toString(), "--steps", "1", "--batch", "16");
        assertEquals(1, strict.code());
        assertTrue(strict.err().startsWith("error: " + latin1 + ":33: invalid UTF-8"), strict.err());
        CliRun skipping = CliRun.run("", "train", "--model", card(0.01).toString(), "--train", latin1.toString(),
                "--out", dir.resolve("skipping").toString(), "--steps", "1", "--batch", "16", "--skip-bad-lines");
        assertEquals(0, skipping.code(), skipping.err());
        assertTrue(skipping.err().contains(latin1 + ": skipped 1 malformed lines"), skipping.err());
        assertTrue(Files.exists(dir.resolve("skipping").resolve("model.zip")));
    }

    @Test
    void outThatIsAFileIsRefusedAndLeftAlone() throws IOException {
        Path out = Files.writeString(dir.resolve("notes.txt"), "mine");
        CliRun r = CliRun.run("", "train", "--model", card(0.01).toString(), "--train", train.toString(),
                "--out", out.toString(), "--steps", "1", "--batch", "16");
        assertEquals(1, r.code());
        assertEquals("error: " + out + ": is a file, not a folder for a training run", r.err().strip());
        assertEquals("mine", Files.readString(out));
    }
}
