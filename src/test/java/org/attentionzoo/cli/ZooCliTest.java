package org.attentionzoo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line end to end: exit codes, one-line errors naming the file, stdin/stdout contract. */
class ZooCliTest {

    @TempDir
    Path dir;

    private static CliRun run(String stdin, String... args) {
        return CliRun.run(stdin, args);
    }

    @Test
    void zooListsEveryCard() {
        CliRun r = run("", "zoo", "--vocab", "100");
        assertEquals(0, r.code(), r.err());
        for (String card : java.util.stream.Stream.concat(org.attentionzoo.models.Zoo.CARDS.stream(),
                org.attentionzoo.models.Zoo.CLASSIFIER_CARDS.stream()).toList()) {
            assertTrue(r.out().contains(card), r.out());
        }
    }

    @Test
    void badInputGivesOneClearLineAndExitCode1() throws Exception {
        CliRun unknownCard = run("", "train", "--model", "seq2sq", "--task", "reverse", "--out", dir.toString());
        assertEquals(1, unknownCard.code());
        assertTrue(unknownCard.err().contains("unknown model card \"seq2sq\""), unknownCard.err());

        Path missing = dir.resolve("missing.tsv");
        CliRun noFile = run("", "train", "--model", "seq2seq-lstm", "--train", missing.toString(), "--out", dir.toString());
        assertEquals(1, noFile.code());
        assertTrue(noFile.err().contains("missing.tsv"), noFile.err());
        assertEquals(1, noFile.err().strip().lines().count(), noFile.err());

        Path badTsv = dir.resolve("bad.tsv");
        Files.writeString(badTsv, "a b\tc d\nno tab here\n");
        CliRun badLine = run("", "train", "--model", "seq2seq-lstm", "--train", badTsv.toString(), "--out", dir.toString());
        assertEquals(1, badLine.code());
        assertTrue(badLine.err().contains("bad.tsv:2"), badLine.err());

        Path corrupt = dir.resolve("corrupt.zip");
        Files.writeString(corrupt, "not a zip at all");
        CliRun badModel = run("hello\n", "translate", "--model", corrupt.toString());
        assertEquals(1, badModel.code());
        assertTrue(badModel.err().contains("corrupt.zip"), badModel.err());

        CliRun usage = run("", "train", "--model");
        assertEquals(2, usage.code(), "usage errors exit with 2");
        assertTrue(Files.notExists(dir.resolve("model.zip")), "nothing written by failed commands");
    }

    @Test
    void trainTranslateEvaluateAndAlign() throws Exception {
        Path train = dir.resolve("train.tsv");
        StringBuilder tsv = new StringBuilder();
        String[][] words = {{"one", "un"}, {"two", "deux"}, {"three", "trois"}, {"four", "quatre"}};
        for (int i = 0; i < 64; i++) {
            String[] a = words[i % 4];
            String[] b = words[(i / 4) % 4];
            tsv.append(a[0]).append(' ').append(b[0]).append('\t').append(a[1]).append(' ').append(b[1]).append('\n');
        }
        Files.writeString(train, tsv.toString());
        Path card = dir.resolve("tiny.json");
        Files.writeString(card, "{\"name\": \"tiny\", \"family\": \"attention\", \"encoder\": \"bilstm\","
                + " \"embeddingSize\": 8, \"hiddenSize\": 16, \"learningRate\": 0.01}");
        Path out = dir.resolve("run");
        CliRun trained = run("", "train", "--model", card.toString(), "--train", train.toString(), "--dev", train.toString(),
                "--out", out.toString(), "--epochs", "2", "--batch", "16");
        assertEquals(0, trained.code(), trained.err());
        Path model = out.resolve("model.zip");
        assertTrue(Files.isRegularFile(model));

        CliRun translated = run("one two\n\nthree four\n", "translate", "--model", model.toString());
        assertEquals(0, translated.code(), translated.err());
        String[] lines = translated.out().split("\n", -1);
        assertEquals(4, lines.length, "three lines in, three out (plus the final newline): " + translated.out());
        assertEquals("", lines[1], "an empty line in gives an empty line out");

        CliRun beam = run("one two\nthree four\n", "translate", "--model", model.toString(), "--beam", "3", "--nbest", "2");
        assertEquals(0, beam.code(), beam.err());
        String[] nbest = beam.out().strip().split("\n");
        assertEquals(4, nbest.length, beam.out());
        assertTrue(nbest[0].startsWith("0 ||| ") && nbest[1].startsWith("0 ||| ") && nbest[2].startsWith("1 ||| "), beam.out());
        CliRun tooMany = run("x\n", "translate", "--model", model.toString(), "--beam", "2", "--nbest", "3");
        assertEquals(1, tooMany.code());

        CliRun evaluated = run("", "evaluate", "--model", model.toString(), "--test", train.toString());
        assertEquals(0, evaluated.code(), evaluated.err());
        assertTrue(evaluated.out().startsWith("BLEU = "), evaluated.out());
        assertTrue(evaluated.out().contains("chrF2 = "), evaluated.out());

        Path png = dir.resolve("a.png");
        CliRun aligned = run("", "align", "--model", model.toString(), "--src", "one two", "--out", png.toString());
        assertEquals(0, aligned.code(), aligned.err());
        byte[] magic = java.util.Arrays.copyOf(Files.readAllBytes(png), 4);
        assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, magic);
    }

    @Test
    void bleuAndChrfCommandsScoreFiles() throws Exception {
        Path ref = dir.resolve("ref.txt");
        Path hyp = dir.resolve("hyp.txt");
        Files.writeString(ref, "the cat sat on the mat\nhello world\n");
        Files.writeString(hyp, "the cat sat on the mat\nhello world\n");
        CliRun bleu = run("", "bleu", "--ref", ref.toString(), "--hyp", hyp.toString());
        assertEquals(0, bleu.code(), bleu.err());
        assertTrue(bleu.out().startsWith("BLEU = 100.00 100.0/100.0/100.0/100.0"), bleu.out());
        assertTrue(bleu.out().contains("tok:13a"), bleu.out());
        CliRun chrf = run("the cat sat on the mat\nhello world\n", "chrf", "--ref", ref.toString());
        assertEquals(0, chrf.code(), chrf.err());
        assertTrue(chrf.out().startsWith("chrF2 = 100.00"), chrf.out());
        CliRun mismatch = run("just one line\n", "bleu", "--ref", ref.toString());
        assertEquals(1, mismatch.code());
        assertTrue(mismatch.err().contains("ref.txt"), mismatch.err());
    }

    @Test
    void bpeTrainingThenFinetuneWithExtendedVocabulary() throws Exception {
        Path train = dir.resolve("train.tsv");
        StringBuilder tsv = new StringBuilder();
        String[] words = {"lower", "lowest", "newer", "newest", "wider", "widest"};
        for (int i = 0; i < 48; i++) {
            tsv.append(words[i % 6]).append(' ').append(words[(i / 6) % 6]).append('\t')
                    .append(words[(i / 6) % 6]).append(' ').append(words[i % 6]).append('\n');
        }
        Files.writeString(train, tsv.toString());
        Path card = dir.resolve("tiny.json");
        Files.writeString(card, "{\"name\": \"tiny\", \"embeddingSize\": 8, \"hiddenSize\": 16}");
        Path out = dir.resolve("bpe-run");
        CliRun trained = run("", "train", "--model", card.toString(), "--train", train.toString(), "--out", out.toString(),
                "--steps", "4", "--batch", "16", "--source-tokenizer", "bpe:20", "--target-tokenizer", "bpe:20");
        assertEquals(0, trained.code(), trained.err());
        var model = org.attentionzoo.io.ModelArchive.load(out.resolve("model.zip"));
        assertEquals("bpe", model.sourceTokenizer().name());
        assertTrue(model.sourceTokenizer().tokenize("widelow").stream().anyMatch(t -> t.endsWith("@@")),
                "BPE splits an unseen word into known subwords: " + model.sourceTokenizer().tokenize("widelow"));

        Path newCorpus = dir.resolve("new.tsv");
        Files.writeString(newCorpus, "zebra zebra\tzebre zebre\nzebra lower\tlower zebre\n".repeat(8));
        Path out2 = dir.resolve("tuned");
        CliRun tuned = run("", "finetune", "--from", out.resolve("model.zip").toString(), "--train", newCorpus.toString(),
                "--out", out2.toString(), "--steps", "2", "--batch", "8", "--extend-vocab");
        assertEquals(0, tuned.code(), tuned.err());
        assertTrue(tuned.out().contains("UNK rate source"), tuned.out());
        assertTrue(tuned.out().contains("vocabularies extended"), tuned.out());
        var extended = org.attentionzoo.io.ModelArchive.load(out2.resolve("model.zip"));
        assertTrue(extended.targetVocab().size() > model.targetVocab().size());
        assertEquals(model.targetVocab().tokens(), extended.targetVocab().tokens().subList(0, model.targetVocab().size()),
                "old tokens keep their ids");
    }

    /**
     * A card with every embedding tied, trained with --joint-bpe (one joint vocabulary) and fine-tuned with
     * --extend-vocab: the vocabulary stays joint, old ids keep their tokens, and the copies stay tied through
     * extension, training and saving (that the extension keeps the old rows: VocabularyExtensionTest).
     */
    @Test
    void tiedAllWithJointBpeThenFinetuneWithExtendedVocabulary() throws Exception {
        Path train = dir.resolve("train.tsv");
        StringBuilder tsv = new StringBuilder();
        String[] words = {"lower", "lowest", "newer", "newest", "wider", "widest"};
        for (int i = 0; i < 48; i++) {
            tsv.append(words[i % 6]).append(' ').append(words[(i / 6) % 6]).append('\t')
                    .append(words[(i / 6) % 6]).append(' ').append(words[i % 6]).append('\n');
        }
        Files.writeString(train, tsv.toString());
        Path card = dir.resolve("tied.json");
        Files.writeString(card, "{\"name\": \"tied\", \"embeddingSize\": 8, \"hiddenSize\": 8, \"tieEmbeddings\": \"all\"}");
        Path out = dir.resolve("tied-run");
        CliRun trained = run("", "train", "--model", card.toString(), "--train", train.toString(), "--out", out.toString(),
                "--steps", "3", "--batch", "16", "--source-tokenizer", "bpe:20", "--target-tokenizer", "bpe:20",
                "--joint-bpe");
        assertEquals(0, trained.code(), trained.err());
        var model = org.attentionzoo.io.ModelArchive.load(out.resolve("model.zip"));
        assertEquals(model.sourceVocab().tokens(), model.targetVocab().tokens(), "one joint vocabulary");
        assertTied(model);

        Path newCorpus = dir.resolve("new.tsv");
        Files.writeString(newCorpus, "zebra zebra\tzebre zebre\nzebra lower\tlower zebre\n".repeat(8));
        Path out2 = dir.resolve("tied-tuned");
        CliRun tuned = run("", "finetune", "--from", out.resolve("model.zip").toString(), "--train", newCorpus.toString(),
                "--out", out2.toString(), "--steps", "2", "--batch", "8", "--extend-vocab");
        assertEquals(0, tuned.code(), tuned.err());
        var extended = org.attentionzoo.io.ModelArchive.load(out2.resolve("model.zip"));
        int old = model.targetVocab().size();
        assertTrue(extended.targetVocab().size() > old, "new subwords from both sides");
        assertEquals(extended.sourceVocab().tokens(), extended.targetVocab().tokens(), "still one joint vocabulary");
        assertEquals(model.targetVocab().tokens(), extended.targetVocab().tokens().subList(0, old), "old ids kept");
        assertTied(extended);
    }

    private static void assertTied(org.attentionzoo.models.TranslationModel m) {
        var e = m.graph().getLayer(org.attentionzoo.models.GraphNames.TARGET_EMBEDDING).getParam("W");
        assertEquals(e, m.graph().getLayer(org.attentionzoo.models.GraphNames.SOURCE_EMBEDDING).getParam("W"));
        assertEquals(e.transpose(), m.graph().getLayer(org.attentionzoo.models.GraphNames.OUTPUT).getParam("W"));
    }
}
