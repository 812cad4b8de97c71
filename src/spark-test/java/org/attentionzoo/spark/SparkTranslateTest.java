package org.attentionzoo.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.attentionzoo.QuietConsoleExtension;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.eval.Bleu;
import org.attentionzoo.eval.ChrF;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Distributed translation on local[2] gives, line for line, the strings single-machine {@link Translator} gives,
 * in input order, whatever the partitions and batches; loads the model once per JVM; reports bad lines by number.
 */
@ExtendWith(QuietConsoleExtension.class)
class SparkTranslateTest {

    private static SparkSession spark;
    private static JavaSparkContext sc;
    private static TranslationModel model;

    @BeforeAll
    static void start() throws Exception {
        spark = LocalSpark.session("local[2]");
        sc = LocalSpark.context(spark);
        model = ModelArchive.load(LocalSpark.MODEL, false);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static List<String> single(List<String> lines, TranslateOptions options) {
        return new Translator(model, options.decoding()).translateAll(lines).stream().map(Translation::text).toList();
    }

    @Test
    void aFileTranslatesAsTranslateDoesInOrderWithItsIds(@TempDir Path dir) throws Exception {
        List<String> lines = LocalSpark.lines(300, 1);
        Path input = dir.resolve("in.txt");
        Files.writeString(input, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        ShippedModel shipped = ShippedModel.ship(sc, LocalSpark.MODEL);
        for (TranslateOptions options : List.of(TranslateOptions.DEFAULTS.batchSize(7),
                TranslateOptions.DEFAULTS.beam(3).batchSize(64))) {
            List<TranslatedLine> out = SparkTranslate.translateFile(sc, input.toString(), shipped, options, 5).collect();
            assertEquals(lines.size(), out.size());
            assertEquals(LongStream.range(0, lines.size()).boxed().toList(), out.stream().map(TranslatedLine::id).toList());
            assertEquals(lines, out.stream().map(TranslatedLine::source).toList());
            assertEquals(single(lines, options), out.stream().map(TranslatedLine::translation).toList(), options.toString());
        }
        int loads = ExecutorModels.loads();
        SparkTranslate.translateFile(sc, input.toString(), shipped, TranslateOptions.DEFAULTS, 4).count();
        assertEquals(loads, ExecutorModels.loads(), "the executor reuses the model it loaded");
    }

    @Test
    void writeKeepsInputOrderAsTextOrTsv(@TempDir Path dir) throws Exception {
        List<String> lines = LocalSpark.lines(120, 2);
        Path input = dir.resolve("in.txt");
        // CRLF line ends and a byte order mark, as translate accepts them.
        Files.writeString(input, "\uFEFF" + String.join("\r\n", lines) + "\r\n", StandardCharsets.UTF_8);
        ShippedModel shipped = ShippedModel.ship(sc, LocalSpark.MODEL);
        Path text = dir.resolve("out.txt");
        assertEquals(120, SparkTranslate.write(SparkTranslate.translateFile(sc, input.toString(), shipped,
                TranslateOptions.DEFAULTS, 3), text, SparkTranslate.Format.TEXT));
        List<String> expected = single(lines, TranslateOptions.DEFAULTS);
        assertEquals(expected, Files.readAllLines(text, StandardCharsets.UTF_8));
        Path tsv = dir.resolve("out.tsv");
        SparkTranslate.write(SparkTranslate.translateFile(sc, input.toString(), shipped, TranslateOptions.DEFAULTS, 3),
                tsv, SparkTranslate.Format.TSV);
        List<String> rows = Files.readAllLines(tsv, StandardCharsets.UTF_8);
        assertEquals("1\t" + lines.get(0) + "\t" + expected.get(0), rows.get(0));
        assertEquals("120\t" + lines.get(119) + "\t" + expected.get(119), rows.get(119));
    }

    @Test
    void aDatasetOfLinesGetsIdsAndTranslations() throws Exception {
        List<String> lines = LocalSpark.lines(50, 3);
        Dataset<String> ds = spark.createDataset(lines, Encoders.STRING()).repartition(1);
        List<Row> rows = SparkTranslate.translate(spark, ds, LocalSpark.MODEL, TranslateOptions.DEFAULTS).collectAsList();
        List<String> expected = single(lines, TranslateOptions.DEFAULTS);
        for (int i = 0; i < lines.size(); i++) {
            assertEquals((long) i, rows.get(i).getLong(0));
            assertEquals(lines.get(i), rows.get(i).getString(1));
            assertEquals(expected.get(i), rows.get(i).getString(2));
        }
    }

    @Test
    void invalidUtf8IsReportedWithFileAndLine(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("bad.txt");
        byte[] bad = "1 2\n3 4\n5 \u00e9\n6\n".getBytes(StandardCharsets.UTF_8);
        byte[] broken = new byte[bad.length - 1];
        // Line 3 ends in 0xC3 without its continuation byte.
        int at = "1 2\n3 4\n5 ".length() + 1;
        System.arraycopy(bad, 0, broken, 0, at);
        System.arraycopy(bad, at + 1, broken, at, bad.length - at - 1);
        Files.write(input, broken);
        ShippedModel shipped = ShippedModel.ship(sc, LocalSpark.MODEL);
        Exception e = assertThrows(Exception.class,
                () -> SparkTranslate.translateFile(sc, input.toString(), shipped, TranslateOptions.DEFAULTS, 2).collect());
        BadLineException b = BadLineException.in(e);
        assertNotNull(b, e.toString());
        assertEquals(input + ":3: not valid UTF-8", b.getMessage());
    }

    @Test
    void aSourceOverTheLengthLimitIsReportedWithItsLine(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>(LocalSpark.lines(40, 4));
        lines.set(33, "1 2 3 4 5 6 1 2 3 4 5 6");
        Path input = dir.resolve("long.txt");
        Files.writeString(input, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        ShippedModel shipped = ShippedModel.ship(sc, LocalSpark.MODEL);
        Exception e = assertThrows(Exception.class, () -> SparkTranslate.translateFile(sc, input.toString(), shipped,
                TranslateOptions.DEFAULTS.maxSourceLength(10).batchSize(8), 3).collect());
        BadLineException b = BadLineException.in(e);
        assertNotNull(b, e.toString());
        assertEquals(input + ":34: ", b.getMessage().substring(0, (input + ":34: ").length()));
        assertTrue(b.getMessage().endsWith(" (--max-source-length)"), b.getMessage());
    }

    @Test
    void evaluateScoresTheCollectedTranslationsAsBleuDoes() throws Exception {
        List<String> sources = LocalSpark.lines(80, 5);
        List<String> references = LocalSpark.lines(80, 6);
        List<Tuple2<String, String>> pairs = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            pairs.add(new Tuple2<>(sources.get(i), references.get(i)));
        }
        SparkTranslate.Evaluation e = SparkTranslate.evaluate(sc.parallelize(pairs, 3), "test", 
                ShippedModel.ship(sc, LocalSpark.MODEL), TranslateOptions.DEFAULTS, "13a");
        List<String> hypotheses = single(sources, TranslateOptions.DEFAULTS);
        assertEquals(hypotheses, e.hypotheses());
        assertEquals(Bleu.corpus(hypotheses, references).format(), e.bleu().format());
        assertEquals(ChrF.corpus(hypotheses, references).format(), e.chrf().format());
    }
}
