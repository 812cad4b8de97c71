package org.attentionzoo.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.attentionzoo.QuietConsoleExtension;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.io.ModelArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A task that dies is run again by Spark (local[2,2]: two cores, two attempts per task) and the output has every
 * line once, in order, translated as single-machine translate translates it.
 */
@ExtendWith(QuietConsoleExtension.class)
class SparkRetryTest {

    /** Tasks failed on purpose (local mode: the tasks run in this JVM). */
    private static final AtomicInteger FAILED = new AtomicInteger();

    @Test
    void aTaskThatFailsOnceIsRetriedWithoutLosingOrDuplicatingLines() throws Exception {
        SparkSession spark = LocalSpark.session("local[2,2]");
        try {
            JavaSparkContext sc = LocalSpark.context(spark);
            List<String> lines = LocalSpark.lines(200, 8);
            JavaRDD<String> dying = sc.parallelize(lines, 4).mapPartitions(it -> {
                TaskContext task = TaskContext.get();
                if (task.partitionId() % 2 == 1 && task.attemptNumber() == 0) {
                    FAILED.incrementAndGet();
                    throw new IllegalStateException("executor lost (test): partition " + task.partitionId());
                }
                return it;
            });
            List<TranslatedLine> out = SparkTranslate.translate(dying, "test", ShippedModel.ship(sc, LocalSpark.MODEL),
                    TranslateOptions.DEFAULTS.batchSize(16)).collect();
            assertEquals(LongStream.range(0, 200).boxed().toList(), out.stream().map(TranslatedLine::id).toList());
            List<String> expected = new Translator(ModelArchive.load(LocalSpark.MODEL, false)).translateAll(lines)
                    .stream().map(Translation::text).toList();
            assertEquals(expected, out.stream().map(TranslatedLine::translation).toList());
            assertEquals(lines, out.stream().map(TranslatedLine::source).toList());
            // zipWithIndex's counting job (it counts all partitions but the last) loses partition 1 once, the
            // translating job partitions 1 and 3 once each.
            assertEquals(3, FAILED.get());
        } finally {
            spark.stop();
        }
    }
}
