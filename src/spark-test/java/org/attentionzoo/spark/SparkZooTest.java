package org.attentionzoo.spark;

import org.attentionzoo.QuietConsoleExtension;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spark-submit main: translate's output and its one-line errors (each run starts and stops its own local[2]). */
@ExtendWith(QuietConsoleExtension.class)
class SparkZooTest {

    private record Run(int code, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--master";
        all[args.length + 1] = "local[2]";
        System.setProperty("spark.driver.host", "127.0.0.1");
        System.setProperty("spark.driver.bindAddress", "127.0.0.1");
        System.setProperty("spark.ui.enabled", "false");
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Run(SparkZoo.run(all), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
            System.clearProperty("spark.driver.host");
            System.clearProperty("spark.driver.bindAddress");
            System.clearProperty("spark.ui.enabled");
        }
    }

    @Test
    void translateWritesWhatTranslatorGivesAndBadLinesAreOneLineWithTheirNumber(@TempDir Path dir) throws Exception {
        List<String> lines = LocalSpark.lines(100, 7);
        Path input = dir.resolve("in.txt");
        Files.writeString(input, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        Path output = dir.resolve("out.txt");
        Run ok = run("translate", "--model", LocalSpark.MODEL.toString(), "--input", input.toString(),
                "--output", output.toString(), "--beam", "2", "--batch-size", "16");
        assertEquals(0, ok.code(), ok.err());
        List<String> expected = new Translator(ModelArchive.load(LocalSpark.MODEL, false),
                TranslateOptions.DEFAULTS.beam(2).decoding()).translateAll(lines).stream().map(Translation::text).toList();
        assertEquals(expected, Files.readAllLines(output, StandardCharsets.UTF_8));

        Files.write(input, new byte[]{'1', '\n', '2', ' ', (byte) 0xFF, '\n'});
        Run bad = run("translate", "--model", LocalSpark.MODEL.toString(), "--input", input.toString(),
                "--output", dir.resolve("bad.txt").toString());
        assertEquals(1, bad.code());
        String last = bad.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertEquals("error: " + input + ":2: not valid UTF-8", last);
        assertFalse(bad.err().contains("\tat "), "no stack trace: " + bad.err());
        assertFalse(Files.exists(dir.resolve("bad.txt")));

        Run missing = run("translate", "--model", dir.resolve("none.zip").toString(), "--input", input.toString(),
                "--output", output.toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("error: " + dir.resolve("none.zip") + ": model file not found"), missing.err());
    }

    @Test
    void trainWritesAModelThatTranslatesAndRefusesHalfAnInput(@TempDir Path dir) throws Exception {
        Path card = dir.resolve("tiny.json");
        Files.writeString(card, Zoo.card("luong-general").toBuilder().name("tiny").embeddingSize(8).hiddenSize(8)
                .attentionSize(8).build().toJson());
        Path out = dir.resolve("run");
        Run ok = run("train", "--model", card.toString(), "--task", "reverse", "--pairs", "200", "--rounds", "2",
                "--steps-per-round", "3", "--batch-size", "8", "--partitions", "2", "--out", out.toString());
        assertEquals(0, ok.code(), ok.err());
        assertEquals("6", ModelArchive.trainingState(out.resolve("last.zip")).get("step"));
        assertEquals("tiny", ModelArchive.load(out.resolve("model.zip")).card().name());
        Run half = run("train", "--model", card.toString(), "--out", out.toString());
        assertEquals(1, half.code());
        assertTrue(half.err().contains("error: give either --model and --task, or --from and --train"), half.err());
    }
}
