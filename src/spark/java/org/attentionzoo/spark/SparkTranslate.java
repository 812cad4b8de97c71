package org.attentionzoo.spark;

import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileInputFormat;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.eval.Bleu;
import org.attentionzoo.eval.BleuScore;
import org.attentionzoo.eval.BleuTokenizer;
import org.attentionzoo.eval.ChrF;
import org.attentionzoo.eval.ChrFScore;
import org.attentionzoo.eval.ExactMatch;
import org.attentionzoo.util.AtomicFiles;
import scala.Tuple2;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Translation on Spark: lines in (a text file or an RDD/Dataset of lines), {@link TranslatedLine}s out, one per
 * line, in input order, each the translation single-machine {@code translate} gives it. The model.zip is broadcast
 * once ({@link ShippedModel}); each executor JVM loads it on its first task and reuses it
 * ({@link ExecutorModels}); each task decodes its partition in batches of {@link TranslateOptions#batchSize()}
 * lines with a {@link Translator}, as {@code translate} does. A translation depends on its line alone (Translator's
 * contract), so neither the partitioning nor the batches change any output.
 *
 * <pre>{@code
 * JavaRDD<TranslatedLine> out = SparkTranslate.translateFile(sc, "hdfs:///in.txt", Path.of("model.zip"),
 *         TranslateOptions.DEFAULTS.beam(5));
 * }</pre>
 *
 * <p>A line that is not UTF-8, or has more source tokens than {@link TranslateOptions#maxSourceLength()}, fails
 * its task with a {@link BadLineException} naming the input and the 1-based line (find it on the driver with
 * {@link BadLineException#in}).
 */
public final class SparkTranslate {

    private SparkTranslate() {
    }

    /**
     * Translates a UTF-8 text file (any Hadoop path: local, HDFS, S3...), one line per line as {@code translate}
     * reads its input: lines end at LF, a CR before it is dropped, a byte order mark at the start is skipped.
     *
     * @param partitions at least this many partitions (Spark may make more for a large file)
     */
    public static JavaRDD<TranslatedLine> translateFile(JavaSparkContext sc, String input, ShippedModel model,
                                                        TranslateOptions options, int partitions) {
        return translateIds(lines(sc, input, partitions), input, model, options);
    }

    /** {@link #translateFile(JavaSparkContext, String, ShippedModel, TranslateOptions, int)} at Spark's default parallelism. */
    public static JavaRDD<TranslatedLine> translateFile(JavaSparkContext sc, String input, Path model,
                                                        TranslateOptions options) throws IOException {
        return translateFile(sc, input, ShippedModel.ship(sc, model), options, sc.defaultParallelism());
    }

    /** Translates the lines of an RDD, in its order; {@code origin} names it in errors. */
    public static JavaRDD<TranslatedLine> translate(JavaRDD<String> lines, String origin, ShippedModel model,
                                                    TranslateOptions options) {
        return translateIds(lines.zipWithIndex(), origin, model, options);
    }

    /**
     * Translates a Dataset of lines, in its order: a Dataset of {@code id} (long, 0-based position), {@code source}
     * and {@code translation}.
     */
    public static Dataset<Row> translate(SparkSession spark, Dataset<String> lines, Path model,
                                         TranslateOptions options) throws IOException {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Row> rows = translate(lines.javaRDD(), "dataset", ShippedModel.ship(sc, model), options)
                .map(t -> RowFactory.create(t.id(), t.source(), t.translation()));
        StructType schema = new StructType()
                .add("id", DataTypes.LongType, false)
                .add("source", DataTypes.StringType, false)
                .add("translation", DataTypes.StringType, false);
        return spark.createDataFrame(rows, schema);
    }

    /**
     * The lines of a text file with their 0-based numbers, decoded strictly: a line that is not UTF-8 fails its
     * task with a {@link BadLineException}. Hadoop's reader splits at LF only (as {@code Utf8LineReader}); the CR
     * of a CRLF and a byte order mark before the first line are dropped here.
     */
    public static JavaPairRDD<String, Long> lines(JavaSparkContext sc, String input, int partitions) {
        JobConf conf = new JobConf(sc.hadoopConfiguration());
        conf.set("textinputformat.record.delimiter", "\n");
        FileInputFormat.setInputPaths(conf, input);
        return sc.hadoopRDD(conf, TextInputFormat.class, LongWritable.class, Text.class, Math.max(1, partitions))
                // Hadoop reuses its Text object from record to record: copy the bytes out.
                .map(r -> Arrays.copyOf(r._2().getBytes(), r._2().getLength()))
                .zipWithIndex()
                .mapToPair(r -> new Tuple2<>(utf8(r._1(), r._2(), input), r._2()));
    }

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** Line {@code id} (0-based) of {@code origin} as text, without a final CR (and a BOM on the first line). */
    static String utf8(byte[] bytes, long id, String origin) {
        int from = id == 0 && bytes.length >= 3 && Arrays.equals(bytes, 0, 3, BOM, 0, 3) ? 3 : 0;
        int to = bytes.length > from && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            throw new BadLineException(origin, id + 1, "not valid UTF-8");
        }
    }

    /** Lines with their ids to translations, each partition in batches, order kept. */
    static JavaRDD<TranslatedLine> translateIds(JavaPairRDD<String, Long> lines, String origin, ShippedModel model,
                                                TranslateOptions options) {
        return lines.mapPartitions(it -> new Batches(it, ExecutorModels.translator(model, options), options, origin));
    }

    /** A partition's translations: takes a batch of lines, translates it, hands its lines out, takes the next. */
    private static final class Batches implements Iterator<TranslatedLine> {
        private final Iterator<Tuple2<String, Long>> in;
        private final Translator translator;
        private final TranslateOptions options;
        private final String origin;
        private final List<TranslatedLine> batch = new ArrayList<>();
        private int next;

        Batches(Iterator<Tuple2<String, Long>> in, Translator translator, TranslateOptions options, String origin) {
            this.in = in;
            this.translator = translator;
            this.options = options;
            this.origin = origin;
        }

        @Override
        public boolean hasNext() {
            if (next < batch.size()) {
                return true;
            }
            batch.clear();
            next = 0;
            List<String> sources = new ArrayList<>();
            List<Long> ids = new ArrayList<>();
            while (sources.size() < options.batchSize() && in.hasNext()) {
                Tuple2<String, Long> line = in.next();
                sources.add(line._1());
                ids.add(line._2());
            }
            if (sources.isEmpty()) {
                return false;
            }
            List<Translation> translations;
            try {
                translations = translator.translateAll(sources);
            } catch (Translator.SourceTooLongException e) {
                throw new BadLineException(origin, ids.get(e.index()) + 1, e.getMessage() + " (--max-source-length)");
            }
            for (int i = 0; i < sources.size(); i++) {
                batch.add(new TranslatedLine(ids.get(i), sources.get(i), translations.get(i).text()));
            }
            return true;
        }

        @Override
        public TranslatedLine next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return batch.get(next++);
        }
    }

    /** What {@link #write} puts on each line. */
    public enum Format {
        /** The translation. */
        TEXT,
        /** {@code line<TAB>source<TAB>translation}, the line numbered from 1. */
        TSV
    }

    /**
     * Writes translations to one file on the driver, in input order, replacing it atomically. The translations are
     * computed by all executors at once (kept until written), then streamed to the driver a partition at a time.
     *
     * @return the lines written
     */
    public static long write(JavaRDD<TranslatedLine> translations, Path output, Format format) throws IOException {
        JavaRDD<TranslatedLine> kept = translations.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            kept.count();
            long[] lines = {0};
            AtomicFiles.write(output, stream -> {
                Writer out = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
                for (Iterator<TranslatedLine> it = kept.toLocalIterator(); it.hasNext(); ) {
                    TranslatedLine t = it.next();
                    out.write(format == Format.TEXT ? t.translation()
                            : (t.id() + 1) + "\t" + t.source() + "\t" + t.translation());
                    out.write('\n');
                    lines[0]++;
                }
                out.flush();
            });
            return lines[0];
        } finally {
            kept.unpersist(false);
        }
    }

    /** Corpus scores of a test set: BLEU, chrF2 and exact match of the translations against the references. */
    public record Evaluation(BleuScore bleu, ChrFScore chrf, double exactMatch, List<String> hypotheses) {
    }

    /**
     * Translates the sources of {@code pairs} ({@code source, reference}) on the executors and scores the
     * translations on the driver, as {@code evaluate} does: the hypotheses are collected in order, so the scores
     * are those of {@code bleu}/{@code chrf} on the same output.
     *
     * @param tokenize BLEU tokenizer: 13a, zh or none
     */
    public static Evaluation evaluate(JavaRDD<Tuple2<String, String>> pairs, String origin, ShippedModel model,
                                      TranslateOptions options, String tokenize) {
        BleuTokenizer tokenizer = BleuTokenizer.named(tokenize);
        JavaRDD<Tuple2<String, String>> kept = pairs.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<String> references = kept.map(Tuple2::_2).collect();
            List<String> hypotheses = translate(kept.map(Tuple2::_1), origin, model, options)
                    .map(TranslatedLine::translation).collect();
            return new Evaluation(Bleu.corpus(hypotheses, references, tokenizer), ChrF.corpus(hypotheses, references),
                    ExactMatch.percent(hypotheses, references), hypotheses);
        } finally {
            kept.unpersist(false);
        }
    }
}
