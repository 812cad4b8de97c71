package org.attentionzoo.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.attentionzoo.QuietConsoleExtension;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.Task;
import org.attentionzoo.data.Tasks;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parameter-averaging training on local[2]: it learns dates, checkpoints as train does, and resumes. */
@ExtendWith(QuietConsoleExtension.class)
class SparkTrainerTest {

    private static SparkSession spark;
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        spark = LocalSpark.session("local[2]");
        sc = LocalSpark.context(spark);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static final Task DATES = Tasks.forName("dates");

    private static SparkTrainer.Builder run(TranslationModel model, long rounds, Path out) {
        return SparkTrainer.builder().model(model).batchSize(16).stepsPerRound(10).rounds(rounds).seed(3).out(out);
    }

    /**
     * 16 rounds of 10 steps on 2 partitions of batches of 16 (5,120 dates seen) take the tiny model from 0% to
     * over {@value #LEARNED}% exact match on 300 held-out dates (this run gives 29.0%); the output folder holds
     * train's files; and a run stopped after 8 rounds and resumed ends with the very parameters of the run that
     * was not stopped. (The comparison with single-machine training at equal examples is
     * {@link SparkDatesComparison}'s.)
     */
    @Test
    void learnsDatesCheckpointsAndResumesToTheSameParameters(@TempDir Path dir) throws Exception {
        // 4,800 pairs a partition: 300 batches of 16, more than the 160 steps take.
        List<SentencePair> train = DATES.generate(9_600, 1);
        List<SentencePair> test = DATES.generate(300, 99);
        Path whole = dir.resolve("whole");
        TranslationModel model = SparkDatesComparison.tinyDates(train);
        assertEquals(0.0, SparkDatesComparison.exactMatch(model, test));
        SparkTrainer.Result r = run(model, 16, whole).build().train(sc, sc.parallelize(SparkTrainer.tuples(train), 2));
        assertEquals(new SparkTrainer.Result(16, 160, 5_120, r.lastLoss(), r.seconds(), 0), r);
        TranslationModel saved = ModelArchive.load(whole.resolve("model.zip"));
        double exact = SparkDatesComparison.exactMatch(saved, test);
        assertTrue(exact > LEARNED, "exact match " + exact);
        assertEquals("160", ModelArchive.trainingState(whole.resolve("last.zip")).get("step"));

        Path stopped = dir.resolve("stopped");
        run(SparkDatesComparison.tinyDates(train), 8, stopped).build().train(sc, sc.parallelize(SparkTrainer.tuples(train), 2));
        assertEquals("8", ModelArchive.trainingState(stopped.resolve("last.zip")).get("spark.round"));
        TranslationModel resumed = SparkDatesComparison.tinyDates(train);
        SparkTrainer.Result rest = run(resumed, 16, stopped).build().train(sc, sc.parallelize(SparkTrainer.tuples(train), 2));
        assertEquals(8, rest.resumedAtRound());
        assertEquals(5_120, rest.examples());
        assertArrayEquals(model.graph().params().toFloatVector(), resumed.graph().params().toFloatVector(), 1e-6f);
        assertArrayEquals(model.graph().getUpdater().getStateViewArray().toFloatVector(),
                resumed.graph().getUpdater().getStateViewArray().toFloatVector(), 1e-6f);
    }

    /** Exact match (%) the learning check asks for: about half what the run reaches. */
    static final double LEARNED = 15;
}
