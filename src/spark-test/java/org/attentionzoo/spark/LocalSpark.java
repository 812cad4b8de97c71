package org.attentionzoo.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Local Spark sessions for the tests: bound to 127.0.0.1, no web UI, few shuffle partitions. */
final class LocalSpark {

    /** A model of the saved-model fixtures: luong-general on reversing 2-5 symbols of 6, untrained. */
    static final Path MODEL = Path.of("src/test/resources/saved-models/v1/luong-general.zip");

    private LocalSpark() {
    }

    static SparkConf conf(String master) {
        // The tests fail tasks on purpose: the executor's and the scheduler's reports of them, stack traces and
        // all, would fill the test log.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.spark.executor.Executor", "off");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.spark.scheduler.TaskSetManager", "off");
        return new SparkConf().setMaster(master).setAppName("attention-zoo-test")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.sql.shuffle.partitions", "2");
    }

    static SparkSession session(String master) {
        return SparkSession.builder().config(conf(master)).getOrCreate();
    }

    static JavaSparkContext context(SparkSession spark) {
        return JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    /** {@code n} lines of 0-9 symbols of the fixtures' vocabulary ("1".."6"), seeded; some empty. */
    static List<String> lines(int n, long seed) {
        Random r = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int length = r.nextInt(10);
            StringBuilder s = new StringBuilder();
            for (int j = 0; j < length; j++) {
                s.append(j == 0 ? "" : " ").append(1 + r.nextInt(6));
            }
            lines.add(s.toString());
        }
        return lines;
    }
}
