package org.attentionzoo.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.attentionzoo.AttentionZoo;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.Task;
import org.attentionzoo.data.Tasks;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.eval.ExactMatch;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.models.Zoo;
import org.attentionzoo.train.Trainer;
import org.attentionzoo.train.TrainingData;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Distributed against single-machine training at the same number of pairs seen, on the generated {@code dates} task
 * with a tiny luong-general: single-machine {@link Trainer} takes N steps of batches of 32; {@link SparkTrainer} on
 * {@code local[2]} takes N/k rounds of k steps on each of 2 partitions with batches of 16 (32 pairs per averaged
 * step, as the single machine). Prints both exact matches on 500 held-out dates.
 *
 * <pre>
 * java [--add-opens flags] -cp target/classes:$(cat spark.classpath) org.attentionzoo.spark.SparkDatesComparison [steps] [k]
 * </pre>
 */
public final class SparkDatesComparison {

    private static final Task DATES = Tasks.forName("dates");

    private SparkDatesComparison() {
    }

    /** luong-general at embedding 32, hidden 64, attention 32, no dropout, Adam 0.005, for {@code train}'s vocabulary. */
    static TranslationModel tinyDates(List<SentencePair> train) throws IOException {
        ModelCard card = Zoo.card("luong-general").toBuilder().name("luong-general-dates-tiny")
                .embeddingSize(32).hiddenSize(64).attentionSize(32).dropout(0.0).learningRate(0.005).build();
        return TranslationModel.create(card,
                TrainingData.sourceVocabulary(train, DATES.sourceTokenizer(), 1, 10_000),
                TrainingData.targetVocabulary(train, DATES.targetTokenizer(), 1, 10_000),
                DATES.sourceTokenizer(), DATES.targetTokenizer());
    }

    /** Exact match (%) of greedy translations of {@code test}'s sources. */
    static double exactMatch(TranslationModel model, List<SentencePair> test) {
        List<String> hyps = new Translator(model).translateAll(test.stream().map(SentencePair::source).toList())
                .stream().map(Translation::text).toList();
        return ExactMatch.percent(hyps, test.stream().map(SentencePair::target).toList());
    }

    public static void main(String[] args) throws Exception {
        AttentionZoo.configure();
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 800;
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        List<SentencePair> train = DATES.generate(30_000, 1);
        List<SentencePair> test = DATES.generate(500, 99);

        TranslationModel single = tinyDates(train);
        long t0 = System.nanoTime();
        Trainer.builder().model(single).data(TrainingData.batches(single, train, 32, 50, 1)).maxSteps(steps).build().train();
        double singleSeconds = (System.nanoTime() - t0) / 1e9;
        double singleExact = exactMatch(single, test);

        SparkSession spark = SparkSession.builder().appName("attention-zoo dates comparison").master("local[2]")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            TranslationModel distributed = tinyDates(train);
            t0 = System.nanoTime();
            SparkTrainer.Result r = SparkTrainer.builder().model(distributed).batchSize(16).stepsPerRound(k)
                    .rounds(steps / k).build().train(sc, sc.parallelize(SparkTrainer.tuples(train), 2));
            double sparkSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "single machine: %d steps x 32 pairs = %d pairs, %.0f s, exact match %.1f%%%n",
                    steps, steps * 32L, singleSeconds, singleExact);
            System.out.printf(Locale.ROOT, "spark local[2]: %d rounds x %d steps x 2 partitions x 16 pairs = %d pairs, "
                    + "%.0f s, exact match %.1f%%%n", r.rounds(), k, r.examples(), sparkSeconds,
                    exactMatch(distributed, test));
        } finally {
            spark.stop();
        }
    }
}
