package org.attentionzoo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line end to end: exit codes, one-line errors naming the file, stdin/stdout contract. */
class ZooCliTest {

    @TempDir
    Path dir;

    /** Output of one command. */
    record Run(int code, String out, String err) {
    }

    private static Run run(String stdin, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        InputStream oldIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            int code = ZooCli.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        }
    }

    @Test
    void zooListsEveryCard() {
        Run r = run("", "zoo", "--vocab", "100");
        assertEquals(0, r.code(), r.err());
        for (String card : org.attentionzoo.models.Zoo.CARDS) {
            assertTrue(r.out().contains(card), r.out());
        }
    }

    @Test
    void badInputGivesOneClearLineAndExitCode1() throws Exception {
        Run unknownCard = run("", "train", "--model", "seq2sq", "--task", "reverse", "--out", dir.toString());
        assertEquals(1, unknownCard.code());
        assertTrue(unknownCard.err().contains("unknown model card \"seq2sq\""), unknownCard.err());

        Path missing = dir.resolve("missing.tsv");
        Run noFile = run("", "train", "--model", "seq2seq-lstm", "--train", missing.toString(), "--out", dir.toString());
        assertEquals(1, noFile.code());
        assertTrue(noFile.err().contains("missing.tsv"), noFile.err());
        assertEquals(1, noFile.err().strip().lines().count(), noFile.err());

        Path badTsv = dir.resolve("bad.tsv");
        Files.writeString(badTsv, "a b\tc d\nno tab here\n");
        Run badLine = run("", "train", "--model", "seq2seq-lstm", "--train", badTsv.toString(), "--out", dir.toString());
        assertEquals(1, badLine.code());
        assertTrue(badLine.err().contains("bad.tsv:2"), badLine.err());

        Path corrupt = dir.resolve("corrupt.zip");
        Files.writeString(corrupt, "not a zip at all");
        Run badModel = run("hello\n", "translate", "--model", corrupt.toString());
        assertEquals(1, badModel.code());
        assertTrue(badModel.err().contains("corrupt.zip"), badModel.err());

        Run usage = run("", "train", "--model");
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
        Run trained = run("", "train", "--model", card.toString(), "--train", train.toString(), "--dev", train.toString(),
                "--out", out.toString(), "--epochs", "2", "--batch", "16");
        assertEquals(0, trained.code(), trained.err());
        Path model = out.resolve("model.zip");
        assertTrue(Files.isRegularFile(model));

        Run translated = run("one two\n\nthree four\n", "translate", "--model", model.toString());
        assertEquals(0, translated.code(), translated.err());
        String[] lines = translated.out().split("\n", -1);
        assertEquals(4, lines.length, "three lines in, three out (plus the final newline): " + translated.out());
        assertEquals("", lines[1], "an empty line in gives an empty line out");

        Run beam = run("one two\nthree four\n", "translate", "--model", model.toString(), "--beam", "3", "--nbest", "2");
        assertEquals(0, beam.code(), beam.err());
        String[] nbest = beam.out().strip().split("\n");
        assertEquals(4, nbest.length, beam.out());
        assertTrue(nbest[0].startsWith("0 ||| ") && nbest[1].startsWith("0 ||| ") && nbest[2].startsWith("1 ||| "), beam.out());
        Run tooMany = run("x\n", "translate", "--model", model.toString(), "--beam", "2", "--nbest", "3");
        assertEquals(1, tooMany.code());

        Run evaluated = run("", "evaluate", "--model", model.toString(), "--test", train.toString());
        assertEquals(0, evaluated.code(), evaluated.err());
        assertTrue(evaluated.out().startsWith("BLEU = "), evaluated.out());
        assertTrue(evaluated.out().contains("chrF2 = "), evaluated.out());

        Path png = dir.resolve("a.png");
        Run aligned = run("", "align", "--model", model.toString(), "--src", "one two", "--out", png.toString());
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
        Run bleu = run("", "bleu", "--ref", ref.toString(), "--hyp", hyp.toString());
        assertEquals(0, bleu.code(), bleu.err());
        assertTrue(bleu.out().startsWith("BLEU = 100.00 100.0/100.0/100.0/100.0"), bleu.out());
        assertTrue(bleu.out().contains("tok:13a"), bleu.out());
        Run chrf = run("the cat sat on the mat\nhello world\n", "chrf", "--ref", ref.toString());
        assertEquals(0, chrf.code(), chrf.err());
        assertTrue(chrf.out().startsWith("chrF2 = 100.00"), chrf.out());
        Run mismatch = run("just one line\n", "bleu", "--ref", ref.toString());
        assertEquals(1, mismatch.code());
        assertTrue(mismatch.err().contains("ref.txt"), mismatch.err());
    }
}
