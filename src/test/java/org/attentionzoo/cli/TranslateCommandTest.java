package org.attentionzoo.cli;

import org.attentionzoo.TinyModels;
import org.attentionzoo.data.ReverseTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.decode.Decoding;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.models.Zoo;
import org.attentionzoo.train.Trainer;
import org.attentionzoo.train.TrainingData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code translate} streaming, files, formats and limits, and {@code release}, on a tiny luong-general trained a few steps. */
class TranslateCommandTest {

    private static final ReverseTask TASK = new ReverseTask(6, 2, 5);

    @TempDir
    static Path dir;
    private static TranslationModel model;
    private static Path modelFile;

    @BeforeAll
    static void saveModel() throws Exception {
        ModelCard card = Zoo.card("luong-general").toBuilder().embeddingSize(8).hiddenSize(12).attentionSize(6).build();
        List<SentencePair> pairs = TASK.generate(96, 5);
        model = TinyModels.untrained(card, TASK, pairs);
        Trainer.builder().model(model).data(TrainingData.batches(model, pairs, 32, 20, 1)).maxSteps(4).build().train();
        modelFile = dir.resolve("model.zip");
        ModelArchive.save(model, modelFile);
    }

    @Test
    @Timeout(120)                                   // a command that waits for more input blocks: fail, do not hang
    void eachLineIsTranslatedBeforeTheNextIsSent() throws Exception {
        Translator translator = new Translator(model);
        PipedOutputStream typing = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(typing);
        PipedInputStream stdoutRead = new PipedInputStream();
        PipedOutputStream stdout = new PipedOutputStream(stdoutRead);
        ExecutorService command = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> run = command.submit(() -> {
                try (TranslateCommand.Output out = TranslateCommand.Output.of(stdout)) {
                    return TranslateCommand.stream(translator, stdin, "<stdin>", out, 0, false);
                } finally {
                    stdout.close();
                }
            });
            BufferedReader translations = new BufferedReader(new InputStreamReader(stdoutRead, StandardCharsets.UTF_8));
            for (String line : List.of("1 2 3", "4 5 6 1", "2")) {
                typing.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                typing.flush();                                   // the input stays open: the command must not wait for more
                assertEquals(translator.translate(line).text(), translations.readLine(), line);
            }
            typing.close();
            assertEquals(3, run.get(10, TimeUnit.SECONDS));
            assertEquals(null, translations.readLine());
        } finally {
            command.shutdownNow();
        }
    }

    @Test
    void aClosedOutputStopsTheCommandEarly() throws Exception {
        Translator translator = new Translator(model);
        StringBuilder input = new StringBuilder();
        int lines = 2 * TranslateCommand.BATCH * TranslateCommand.READ_BATCHES * org.attentionzoo.util.Threads.workers() + 1;
        for (int i = 0; i < lines; i++) {
            input.append("1 2 3\n");
        }
        int[] writes = {0};
        TranslateCommand.Output closedAfterOne = new TranslateCommand.Output() {
            @Override
            boolean write(String text) {
                return ++writes[0] == 1;
            }

            @Override
            public void close() {
            }
        };
        // lines ready at once come in reads of at most READ_BATCHES batches of 64 per worker: three reads here, and
        // the second write fails
        int done = TranslateCommand.stream(translator, new java.io.ByteArrayInputStream(input.toString().getBytes(StandardCharsets.UTF_8)),
                "<stdin>", closedAfterOne, 0, false);
        assertEquals(-1, done);
        assertEquals(2, writes[0], "nothing translated after the failed write");
    }

    @Test
    void srcAndOutputFilesNbestScoresAndAlignments() throws Exception {
        Path src = dir.resolve("src.txt");
        Files.write(src, new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '1', ' ', '2', '\n', '3', ' ', '4', '\n'});
        Path out = dir.resolve("out.txt");
        CliRun plain = CliRun.run("", "translate", "--model", modelFile.toString(), "--src", src.toString(),
                "--output", out.toString());
        assertEquals(0, plain.code(), plain.err());
        assertEquals("", plain.out());
        Translator translator = new Translator(model);
        assertEquals(List.of(translator.translate("1 2").text(), translator.translate("3 4").text()), Files.readAllLines(out),
                "the byte order mark is not part of the first line");

        CliRun nbest = CliRun.run("1 2\n3 4\n", "translate", "--model", modelFile.toString(), "--beam", "3", "--nbest", "2");
        assertEquals(0, nbest.code(), nbest.err());
        List<List<Translation>> expected = new Translator(model, Decoding.beam(3)).translateAllNBest(List.of("1 2", "3 4"), 2);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            for (Translation t : expected.get(i)) {
                lines.append(i).append(" ||| ").append(t.text()).append(" ||| ")
                        .append(String.format(Locale.ROOT, "%.6f", t.score())).append('\n');
            }
        }
        assertEquals(lines.toString(), nbest.out());

        CliRun aligned = CliRun.run("1 2\n\n", "translate", "--model", modelFile.toString(), "--alignments");
        assertEquals(0, aligned.code(), aligned.err());
        Translation t = translator.translate("1 2");
        StringBuilder pairs = new StringBuilder();
        for (int k = 0; k < t.tokens().size(); k++) {
            pairs.append(k == 0 ? "" : " ").append(t.alignment().mostAttendedSource(k)).append('-').append(k);
        }
        assertEquals(t.text() + " ||| " + pairs + "\n ||| \n", aligned.out());
    }

    @Test
    void badInputIsOneLineNamingTheFileAndLine() throws Exception {
        Path bad = dir.resolve("bad.txt");
        Files.write(bad, new byte[]{'1', '\n', '2', ' ', (byte) 0xC3, '\n'});
        CliRun utf8 = CliRun.run("", "translate", "--model", modelFile.toString(), "--src", bad.toString());
        assertEquals(1, utf8.code());
        assertTrue(utf8.err().contains("bad.txt:2"), utf8.err());
        assertEquals(1, utf8.err().strip().lines().count(), utf8.err());

        CliRun missing = CliRun.run("", "translate", "--model", modelFile.toString(), "--src", dir.resolve("none.txt").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("none.txt"), missing.err());

        CliRun tooLong = CliRun.run("1 2\n1 2 3 4 5\n", "translate", "--model", modelFile.toString(), "--max-source-length", "4");
        assertEquals(1, tooLong.code());
        assertTrue(tooLong.err().contains("<stdin>:2: the source has 5 tokens, more than the limit of 4"), tooLong.err());
    }

    /** Each out-of-range decoding option is named in the one error line, not another option. */
    @Test
    void optionValuesOutOfRangeNameTheirOption() throws Exception {
        Map<List<String>, String> cases = new LinkedHashMap<>();
        cases.put(List.of("--beam", "0"), "error: --beam must be at least 1 (1: greedy); got 0");
        cases.put(List.of("--beam", "-3"), "error: --beam must be at least 1 (1: greedy); got -3");
        cases.put(List.of("--beam", "0", "--nbest", "2"), "error: --beam must be at least 1 (1: greedy); got 0");
        cases.put(List.of("--beam", "2", "--nbest", "3"), "error: --nbest must be between 1 and --beam (2); got 3");
        cases.put(List.of("--nbest", "2"), "error: --nbest must be between 1 and --beam (1); got 2");
        cases.put(List.of("--beam", "2", "--nbest", "0"), "error: --nbest must be between 1 and --beam (2); got 0");
        cases.put(List.of("--alpha", "-1"), "error: --alpha must be a finite number >= 0; got -1.0");
        cases.put(List.of("--alpha", "NaN"), "error: --alpha must be a finite number >= 0; got NaN");
        cases.put(List.of("--alpha", "1e400"), "error: --alpha must be a finite number >= 0; got Infinity");
        cases.put(List.of("--max-source-length", "-1"), "error: --max-source-length must be >= 0 (0: no limit); got -1");
        for (var c : cases.entrySet()) {
            List<String> args = new ArrayList<>(List.of("translate", "--model", modelFile.toString()));
            args.addAll(c.getKey());
            CliRun run = CliRun.run("1 2\n", args.toArray(String[]::new));
            assertEquals(1, run.code(), c.getKey().toString());
            assertEquals(c.getValue(), run.err().strip(), c.getKey().toString());
            assertEquals("", run.out(), c.getKey().toString());
        }
        // evaluate and align share the options, and their messages.
        Path tsv = Files.writeString(dir.resolve("test.tsv"), "1 2\t2 1\n");
        CliRun evaluate = CliRun.run("", "evaluate", "--model", modelFile.toString(), "--test", tsv.toString(), "--beam", "0");
        assertEquals(1, evaluate.code());
        assertEquals("error: --beam must be at least 1 (1: greedy); got 0", evaluate.err().strip());
        CliRun align = CliRun.run("", "align", "--model", modelFile.toString(), "--src", "1 2", "--alpha", "-2");
        assertEquals(1, align.code());
        assertEquals("error: --alpha must be a finite number >= 0; got -2.0", align.err().strip());
    }

    @Test
    void aReleasedModelIsSmallerAndTranslatesExactlyAsTheFullOne() throws Exception {
        Path released = dir.resolve("released.zip");
        CliRun release = CliRun.run("", "release", "--model", modelFile.toString(), "--out", released.toString());
        assertEquals(0, release.code(), release.err());
        long params = model.graph().numParams();
        assertTrue(Files.size(modelFile) - Files.size(released) >= 4L * params,
                "Adam's two moments, 8 bytes a parameter, are gone: " + Files.size(modelFile) + " -> " + Files.size(released));
        List<String> sources = TASK.generate(30, 11).stream().map(SentencePair::source).toList();
        for (Decoding decoding : List.of(Decoding.greedy(), Decoding.beam(3))) {
            assertEquals(new Translator(ModelArchive.load(modelFile), decoding).translateAllNBest(sources, decoding.beamSize()),
                    new Translator(ModelArchive.load(released), decoding).translateAllNBest(sources, decoding.beamSize()));
        }
        Path tsv = dir.resolve("finetune.tsv");
        StringBuilder pairs = new StringBuilder();
        for (SentencePair p : TASK.generate(40, 12)) {
            pairs.append(p.source()).append('\t').append(p.target()).append('\n');
        }
        Files.writeString(tsv, pairs.toString());
        CliRun finetune = CliRun.run("", "finetune", "--from", released.toString(), "--train", tsv.toString(), "--steps", "2",
                "--batch", "8", "--out", dir.resolve("tuned").toString());
        assertEquals(0, finetune.code(), "finetune from a released model starts a fresh optimizer state: " + finetune.err());
        assertTrue(Files.isRegularFile(dir.resolve("tuned").resolve("model.zip")));

        CliRun verbose = CliRun.run("1 2\n", "translate", "--model", released.toString(), "--verbose");
        assertEquals(0, verbose.code(), verbose.err());
        assertTrue(verbose.err().matches("(?s)loaded .*released\\.zip \\(.*\\) in \\d+\\.\\d\\d s\n.*"), verbose.err());
    }

    @Test
    void helpExitsZero() {
        for (String command : List.of("translate", "evaluate", "align", "release")) {
            CliRun help = CliRun.run("", command, "--help");
            assertEquals(0, help.code(), command + ": " + help.err());
            assertTrue(help.out().contains("Usage:") && help.out().contains("--model"), help.out());
        }
        assertTrue(CliRun.run("", "translate", "--help").out().contains("--max-source-length"));
    }
}
