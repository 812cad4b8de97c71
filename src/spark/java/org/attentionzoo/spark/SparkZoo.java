package org.attentionzoo.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.attentionzoo.AttentionZoo;
import org.attentionzoo.data.ParallelCorpus;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.decode.BeamSearch;
import org.attentionzoo.util.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import scala.Tuple2;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * The Spark job's main, for {@code spark-submit --class org.attentionzoo.spark.SparkZoo attention-zoo.jar
 * <command>}: {@code translate}, {@code evaluate} and {@code train}, with the options of the command line's
 * commands of the same names. Errors a user can fix print one line on stderr (a bad input line named by file
 * and line number) and exit with status 1; usage mistakes exit with status 2.
 */
@Command(name = "attention-zoo-spark", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        version = "attention-zoo 0.1.0", description = "attention-zoo on Apache Spark.",
        subcommands = {SparkZoo.Translate.class, SparkZoo.Evaluate.class, SparkTrainCommand.class})
public final class SparkZoo {

    @Option(names = "--master", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Spark master when not started by spark-submit (e.g. local[2]); default: spark-submit's "
                    + "--master, else local[*].")
    String master;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        AttentionZoo.configure();
        CommandLine cli = new CommandLine(new SparkZoo());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + message(e));
            return 1;
        });
        return cli.execute(args);
    }

    /** One line: a bad input line's report, else the innermost cause's first line. */
    static String message(Throwable e) {
        BadLineException bad = BadLineException.in(e);
        if (bad != null) {
            return bad.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.toString() : root.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    /** Runs {@code job} in a Spark session for {@code app}, stopped after it. */
    <T> T withSpark(String app, Function<JavaSparkContext, T> job) {
        SparkSession.Builder b = SparkSession.builder().appName("attention-zoo " + app);
        if (master != null) {
            b.master(master);
        } else if (System.getProperty("spark.master") == null) {
            b.master("local[*]");
        }
        SparkSession spark = b.getOrCreate();
        try {
            return job.apply(JavaSparkContext.fromSparkContext(spark.sparkContext()));
        } finally {
            spark.stop();
        }
    }

    /** Decoding options shared by translate and evaluate. */
    static final class Decoding {
        @Option(names = "--beam", defaultValue = "1", description = "Beam size; 1 is greedy (default ${DEFAULT-VALUE}).")
        int beam;

        @Option(names = "--alpha", description = "GNMT length-normalisation exponent for beam search (default "
                + BeamSearch.DEFAULT_ALPHA + ").")
        Double alpha;

        @Option(names = "--max-source-length", paramLabel = "TOKENS", defaultValue = "200",
                description = "Refuse a source line of more tokens than this with an error naming its line; 0: no "
                        + "limit (default ${DEFAULT-VALUE}).")
        int maxSourceLength;

        @Option(names = "--batch-size", paramLabel = "LINES", defaultValue = "1024",
                description = "Lines of a task handed to the translator at once; it sorts them by length and decodes"
                        + " batches of 64 (default ${DEFAULT-VALUE}).")
        int batchSize;

        TranslateOptions options() {
            return new TranslateOptions(beam, alpha == null ? BeamSearch.DEFAULT_ALPHA : alpha, maxSourceLength, batchSize);
        }
    }

    @Command(name = "translate", description = "Translate a text file, one sentence per line, on the cluster; the "
            + "translations are written in input order to one file on the driver.")
    static final class Translate implements Callable<Integer> {
        @CommandLine.ParentCommand
        SparkZoo parent;

        @Option(names = "--model", required = true, description = "A model.zip written by train or release (on the driver).")
        Path model;

        @Option(names = "--input", required = true, paramLabel = "PATH",
                description = "Source text, UTF-8, one sentence per line: any path Spark reads (file:, hdfs:, s3a:).")
        String input;

        @Option(names = "--output", required = true, paramLabel = "FILE", description = "The translations, on the driver.")
        Path output;

        @Option(names = "--format", defaultValue = "text", description = "text (one translation per line) or tsv "
                + "(line<TAB>source<TAB>translation, lines numbered from 1) (default ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--partitions", paramLabel = "N", description = "At least this many tasks (default: Spark's "
                + "default parallelism).")
        Integer partitions;

        @CommandLine.Mixin
        Decoding decoding = new Decoding();

        @Override
        public Integer call() throws Exception {
            SparkTranslate.Format f = switch (format) {
                case "text" -> SparkTranslate.Format.TEXT;
                case "tsv" -> SparkTranslate.Format.TSV;
                default -> throw new IllegalArgumentException("--format must be text or tsv; got " + format);
            };
            TranslateOptions options = decoding.options();
            long start = System.nanoTime();
            long[] jobStart = new long[1];
            long lines = parent.withSpark("translate", sc -> {
                try {
                    jobStart[0] = System.nanoTime();
                    ShippedModel shipped = ShippedModel.ship(sc, model);
                    int n = partitions != null ? partitions : sc.defaultParallelism();
                    return SparkTranslate.write(SparkTranslate.translateFile(sc, input, shipped, options, n), output, f);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e.getMessage(), e);
                }
            });
            double seconds = (System.nanoTime() - jobStart[0]) / 1e9;
            System.err.printf(Locale.ROOT, "translated %d lines in %.2f s (%.1f lines/s: shipping, loading, decoding and "
                    + "writing; Spark's start and stop %.2f s more)%n", lines, seconds, lines / Math.max(seconds, 1e-9),
                    (System.nanoTime() - start) / 1e9 - seconds);
            return 0;
        }
    }

    @Command(name = "evaluate", description = "Translate a test TSV (source<TAB>reference) on the cluster and score "
            + "the translations: BLEU, chrF2 and exact match, as evaluate.")
    static final class Evaluate implements Callable<Integer> {
        @CommandLine.ParentCommand
        SparkZoo parent;

        @Option(names = "--model", required = true, description = "A model.zip written by train (on the driver).")
        Path model;

        @Option(names = {"--test", "--src"}, required = true, paramLabel = "FILE",
                description = "Test TSV (source<TAB>reference), read on the driver as evaluate reads it.")
        Path test;

        @Option(names = "--output", paramLabel = "FILE", description = "Also write the translations here, one per line.")
        Path output;

        @Option(names = "--tokenize", defaultValue = "13a", description = "BLEU tokenizer: 13a, zh or none (default ${DEFAULT-VALUE}).")
        String tokenize;

        @Option(names = "--partitions", paramLabel = "N", description = "Tasks (default: Spark's default parallelism).")
        Integer partitions;

        @CommandLine.Mixin
        Decoding decoding = new Decoding();

        @Override
        public Integer call() throws Exception {
            TranslateOptions options = decoding.options();
            List<SentencePair> pairs = ParallelCorpus.read(test, false).pairs();
            SparkTranslate.Evaluation e = parent.withSpark("evaluate", sc -> {
                try {
                    ShippedModel shipped = ShippedModel.ship(sc, model);
                    int n = partitions != null ? partitions : sc.defaultParallelism();
                    return SparkTranslate.evaluate(sc.parallelize(pairs.stream()
                            .map(p -> new Tuple2<>(p.source(), p.target())).toList(), n), test.toString(), shipped,
                            options, tokenize);
                } catch (java.io.IOException x) {
                    throw new java.io.UncheckedIOException(x.getMessage(), x);
                }
            });
            if (output != null) {
                AtomicFiles.write(output, out -> out.write((String.join("\n", e.hypotheses()) + "\n")
                        .getBytes(StandardCharsets.UTF_8)));
            }
            System.out.println(e.bleu().format());
            System.out.println(e.chrf().format());
            System.out.printf(Locale.ROOT, "exact-match: %.1f%% (%d pairs)%n", e.exactMatch(), pairs.size());
            return 0;
        }
    }
}
