package org.attentionzoo.cli;

import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.attentionzoo.data.BpeTokenizer;
import org.attentionzoo.data.Placeholders;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.data.Vocabulary;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train} with dev evaluation, checkpoints and resumption, and {@code finetune}, from the command line. */
class TrainWorkflowTest {

    @TempDir
    Path dir;

    Path train;
    Path card;

    @BeforeEach
    void corpusAndCard() throws IOException {
        train = dir.resolve("train.tsv");
        StringBuilder tsv = new StringBuilder();
        String[][] words = {{"one", "un"}, {"two", "deux"}, {"three", "trois"}, {"four", "quatre"}};
        for (int i = 0; i < 64; i++) {
            String[] a = words[i % 4];
            String[] b = words[(i / 4) % 4];
            tsv.append(a[0]).append(' ').append(b[0]).append('\t').append(a[1]).append(' ').append(b[1]).append('\n');
        }
        Files.writeString(train, tsv.toString());
        card = tinyCard("tiny.json", 16);
    }

    private Path tinyCard(String name, int hidden) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "{\"name\": \"tiny\", \"family\": \"seq2seq\", \"embeddingSize\": 8, \"hiddenSize\": "
                + hidden + ", \"learningRate\": 0.01}");
        return file;
    }

    /** A run on words (not the default BPE), so that unknown words count as whole words in the finetune test. */
    private CliRun trainRun(Path out, Path cardFile, Path corpus, int steps) {
        return CliRun.run("", "train", "--model", cardFile.toString(), "--train", corpus.toString(),
                "--source-tokenizer", "words", "--target-tokenizer", "words",
                "--dev", train.toString(), "--out", out.toString(), "--steps", Integer.toString(steps),
                "--batch", "16", "--eval-every", "3", "--log-every", "3", "--dev-max", "10");
    }

    @Test
    void trainKeepsCheckpointsLogAndChartAndResumesWhereItStopped() throws Exception {
        Path out = dir.resolve("run");
        CliRun first = trainRun(out, card, train, 6);
        assertEquals(0, first.code(), first.err());
        for (String f : List.of("last.zip", "best.zip", "model.zip", "training.csv", "training.png")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + " missing; " + first.out());
        }
        assertTrue(first.out().contains("step 3: dev BLEU"), first.out());
        List<String> csv = Files.readAllLines(out.resolve("training.csv"));
        assertEquals("step,epoch,seconds,train_loss,tokens_per_s,dev_bleu,dev_chrf,learning_rate,dev_eval_seconds",
                csv.get(0));
        assertEquals(List.of("3", "6"), csv.stream().skip(1).map(l -> l.split(",")[0]).toList());
        String[] row = csv.get(1).split(",", -1);
        assertEquals("1", row[1], "step 3 is in the first epoch (4 batches of 16)");
        assertTrue(Double.parseDouble(row[3]) > 0 && !row[5].isEmpty() && !row[6].isEmpty(), csv.get(1));
        assertEquals("0.0100000", row[7]);
        assertTrue(Double.parseDouble(row[8]) >= 0 && Double.parseDouble(row[8]) <= Double.parseDouble(row[2]),
                "the dev evaluation's seconds, within the run's: " + csv.get(1));
        assertEquals("6", ModelArchive.trainingState(out.resolve("last.zip")).get("step"));

        CliRun more = trainRun(out, card, train, 9);
        assertEquals(0, more.code(), more.err());
        assertTrue(more.out().contains("resuming from") && more.out().contains("at step 6 (epoch 2, batch 2)"),
                more.out());
        assertEquals(List.of("3", "6", "9"), Files.readAllLines(out.resolve("training.csv")).stream().skip(1)
                .map(l -> l.split(",")[0]).toList(), "the log goes on");
        TranslationModel kept = ModelArchive.load(out.resolve("model.zip"));
        assertEquals("9", kept.provenance().get("trainingSteps"));
        assertEquals(train.toString(), kept.provenance().get("corpus"));

        byte[] model = Files.readAllBytes(out.resolve("model.zip"));
        CliRun otherCard = trainRun(out, tinyCard("wider.json", 20), train, 12);
        assertEquals(1, otherCard.code());
        assertTrue(otherCard.err().contains("--out holds a run of another model")
                && otherCard.err().contains("use a new folder"), otherCard.err());
        Path otherCorpus = dir.resolve("other.tsv");
        Files.writeString(otherCorpus, Files.readString(train).replace("quatre", "vier").replace("four", "vier"));
        CliRun otherData = trainRun(out, card, otherCorpus, 12);
        assertEquals(1, otherData.code());
        assertTrue(otherData.err().contains("--out holds a run of another model"), otherData.err());
        assertEquals(1, otherData.err().strip().lines().count(), otherData.err());
        assertArrayEquals(model, Files.readAllBytes(out.resolve("model.zip")), "nothing overwritten");
    }

    @Test
    void filesTrainOnSubwordsByDefaultAndJointBpeSharesTheMerges() throws Exception {
        Path out = dir.resolve("bpe");
        CliRun r = CliRun.run("", "train", "--model", card.toString(), "--train", train.toString(), "--out",
                out.toString(), "--steps", "2", "--batch", "16");
        assertEquals(0, r.code(), r.err());
        TranslationModel m = ModelArchive.load(out.resolve("model.zip"));
        assertEquals("bpe", m.sourceTokenizer().name());
        assertEquals("bpe", m.targetTokenizer().name());
        // "unto" is no training word, but its letters are: it is spelt with known subwords, no <unk>.
        int[] ids = m.sourceVocab().encode(m.sourceTokenizer().tokenize("unto"));
        assertTrue(Arrays.stream(ids).noneMatch(id -> id == Vocabulary.UNK_ID), Arrays.toString(ids));

        Path joint = dir.resolve("joint");
        r = CliRun.run("", "train", "--model", card.toString(), "--train", train.toString(), "--out",
                joint.toString(), "--steps", "2", "--batch", "16", "--joint-bpe");
        assertEquals(0, r.code(), r.err());
        TranslationModel j = ModelArchive.load(joint.resolve("model.zip"));
        assertEquals(((BpeTokenizer) j.sourceTokenizer()).model(), ((BpeTokenizer) j.targetTokenizer()).model());
        assertEquals(List.of("quatre"), ((BpeTokenizer) j.sourceTokenizer()).base().tokenize("quatre"));
        assertTrue(((BpeTokenizer) j.sourceTokenizer()).model().segment("quatre").size() < 6,
                "merges learned on target words are among the source tokenizer's");

        r = CliRun.run("", "train", "--model", card.toString(), "--train", train.toString(), "--out",
                dir.resolve("bad").toString(), "--steps", "2", "--joint-bpe", "--target-tokenizer", "words");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--joint-bpe needs the same bpe tokenizer on both sides"), r.err());
    }

    @Test
    void placeholdersAreMaskedByDefaultAndTheSettingTravelsWithTheModel() throws Exception {
        Path corpus = dir.resolve("ph.tsv");
        Files.writeString(corpus, "open %s now\touvrir %s maintenant\n".repeat(20)
                + "use --depth here\tutilisez --depth ici\n".repeat(20));
        Path out = dir.resolve("ph");
        CliRun r = CliRun.run("", "train", "--model", card.toString(), "--train", corpus.toString(), "--out",
                out.toString(), "--steps", "2", "--batch", "16");
        assertEquals(0, r.code(), r.err());
        TranslationModel m = ModelArchive.load(out.resolve("model.zip"));
        assertTrue(m.masksPlaceholders());
        // The placeholders are single symbols in the vocabulary; the spelled-out option never is.
        assertTrue(m.sourceVocab().contains(String.valueOf(Placeholders.FIRST)), m.sourceVocab().tokens().toString());
        assertTrue(m.targetVocab().contains(String.valueOf(Placeholders.FIRST)));
        assertFalse(m.sourceVocab().contains("depth"), m.sourceVocab().tokens().toString());
        for (Translation t : new Translator(m).translateAll(List.of("open %s now", "use --depth here"))) {
            assertTrue(t.text().chars().noneMatch(c -> c >= Placeholders.FIRST && c < Placeholders.FIRST + Placeholders.MAX),
                    "symbols never reach the output: " + t.text());
        }
        Path plain = dir.resolve("plain");
        r = CliRun.run("", "train", "--model", card.toString(), "--train", corpus.toString(), "--out",
                plain.toString(), "--steps", "2", "--batch", "16", "--no-mask-placeholders");
        assertEquals(0, r.code(), r.err());
        assertFalse(ModelArchive.load(plain.resolve("model.zip")).masksPlaceholders());
    }

    @Test
    void aTruncatedCheckpointIsRefusedAndKept() throws Exception {
        Path out = dir.resolve("run");
        assertEquals(0, trainRun(out, card, train, 3).code());
        Path last = out.resolve("last.zip");
        byte[] bytes = Files.readAllBytes(last);
        byte[] cut = Arrays.copyOf(bytes, bytes.length / 2);
        Files.write(last, cut);
        CliRun r = trainRun(out, card, train, 6);
        assertEquals(1, r.code());
        assertTrue(r.err().contains("last.zip") && r.err().contains("cannot resume"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertArrayEquals(cut, Files.readAllBytes(last), "the damaged checkpoint is left for the user to look at");
    }

    @Test
    void finetuneReportsUnknownWordsTrainsAndRecordsTheParent() throws Exception {
        Path parentDir = dir.resolve("parent");
        assertEquals(0, trainRun(parentDir, card, train, 4).code());
        Path parent = parentDir.resolve("model.zip");
        Path fresh = dir.resolve("new.tsv");
        // Source tokens: one, five (unknown), two, three: 25% unknown; the same on the target side.
        Files.writeString(fresh, "one five\tun cinq\n".repeat(16) + "two three\tdeux trois\n".repeat(16));
        Path out = dir.resolve("tuned");
        CliRun r = CliRun.run("", "finetune", "--from", parent.toString(), "--train", fresh.toString(),
                "--dev", fresh.toString(), "--out", out.toString(), "--steps", "4", "--batch", "16", "--eval-every", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("UNK rate source 25.00%, target 25.00%"), r.out());
        TranslationModel tuned = ModelArchive.load(out.resolve("model.zip"));
        TranslationModel before = ModelArchive.load(parent);
        assertEquals(before.sourceVocab().tokens(), tuned.sourceVocab().tokens(), "the parent's vocabularies are kept");
        assertEquals(before.card(), tuned.card());
        assertEquals(parent.toString(), tuned.provenance().get("parentModel"));
        assertEquals(sha256(parent), tuned.provenance().get("parentSha256"));
        assertEquals(train.toString(), tuned.provenance().get("parentCorpus"));
        assertEquals(fresh.toString(), tuned.provenance().get("corpus"));
        assertEquals("4", tuned.provenance().get("trainingSteps"));

        byte[] model = Files.readAllBytes(out.resolve("model.zip"));
        byte[] last = Files.readAllBytes(out.resolve("last.zip"));
        Path corrupt = dir.resolve("corrupt.zip");
        Files.writeString(corrupt, "not a zip at all");
        Path future = dir.resolve("future.zip");
        replaceEntry(parent, future, "format.json", "{\"format\": \"attention-zoo-model\", \"formatVersion\": 99}");
        Path unknownCard = dir.resolve("unknown-card.zip");
        replaceEntry(parent, unknownCard, "card.json", "{\"name\": \"x\", \"family\": \"transformer-xl\"}");
        Path badTsv = dir.resolve("bad.tsv");
        Files.writeString(badTsv, "a b\tc d\nno tab here\n");
        Path empty = dir.resolve("empty.tsv");
        Files.writeString(empty, "");
        Object[][] cases = {
            {parentDir.resolve("missing.zip"), fresh, "missing.zip"},
            {corrupt, fresh, "corrupt.zip"},
            {future, fresh, "future.zip"},
            {unknownCard, fresh, "unknown-card.zip"},
            {parent, dir.resolve("missing.tsv"), "missing.tsv"},
            {parent, badTsv, "bad.tsv:2"},
            {parent, empty, "empty.tsv"},
        };
        for (Object[] c : cases) {
            CliRun bad = CliRun.run("", "finetune", "--from", c[0].toString(), "--train", c[1].toString(),
                    "--out", out.toString(), "--steps", "8", "--batch", "16");
            assertEquals(1, bad.code(), c[2] + ": " + bad.out());
            assertTrue(bad.err().contains((String) c[2]), c[2] + ": " + bad.err());
            assertEquals(1, bad.err().strip().lines().count(), bad.err());
            assertArrayEquals(model, Files.readAllBytes(out.resolve("model.zip")), c[2] + " overwrote model.zip");
            assertArrayEquals(last, Files.readAllBytes(out.resolve("last.zip")), c[2] + " overwrote last.zip");
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** Copies a zip with one entry's content replaced. */
    private static void replaceEntry(Path from, Path to, String name, String content) throws IOException {
        try (ZipFile in = new ZipFile(from.toFile()); OutputStream raw = Files.newOutputStream(to);
             ZipOutputStream out = new ZipOutputStream(raw)) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(e.getName().equals(name) ? content.getBytes(StandardCharsets.UTF_8)
                        : in.getInputStream(e).readAllBytes());
                out.closeEntry();
            }
        }
    }
}
