package org.attentionzoo.train;

import org.attentionzoo.data.SentencePair;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The provenance entries stored in a model file: what it was trained on, how long, when, with what. */
public final class Provenance {

    /** Our own version, as written into every model file. */
    public static final String LIBRARY_VERSION = "attention-zoo 0.1.0";

    private Provenance() {
    }

    /**
     * @param corpus  a name for the training data (file path or generated task)
     * @param pairs   the training pairs, hashed
     * @param summary what training did
     */
    public static Map<String, String> of(String corpus, List<SentencePair> pairs, TrainingSummary summary) {
        Map<String, String> p = corpus(corpus, pairs);
        p.putAll(training(summary));
        return p;
    }

    /** The entries naming the training data: {@code corpus}, {@code corpusPairs}, {@code corpusSha256}. */
    public static Map<String, String> corpus(String corpus, List<SentencePair> pairs) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("corpus", corpus);
        p.put("corpusPairs", Integer.toString(pairs.size()));
        p.put("corpusSha256", TrainingData.sha256(pairs));
        return p;
    }

    /**
     * The entries saying how the model was trained: steps, epochs, seconds, the dev BLEU and step of
     * the kept model when there was a dev set, the date and the library versions.
     */
    public static Map<String, String> training(TrainingSummary summary) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("trainingSteps", Long.toString(summary.steps()));
        p.put("trainingEpochs", Integer.toString(summary.epochs()));
        p.put("trainingSeconds", String.format(java.util.Locale.ROOT, "%.1f", summary.seconds()));
        if (!Double.isNaN(summary.bestBleu())) {
            p.put("devBleu", String.format(java.util.Locale.ROOT, "%.2f", summary.bestBleu()));
            p.put("keptStep", Long.toString(summary.bestStep()));
        }
        p.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        p.put("library", LIBRARY_VERSION);
        p.put("deeplearning4j", dl4jVersion());
        p.put("java", System.getProperty("java.version"));
        return p;
    }

    /** Read from deeplearning4j-nn's own Maven metadata; "unknown" if the jar lacks it. */
    private static String dl4jVersion() {
        try (var in = ComputationGraph.class.getResourceAsStream(
                "/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties")) {
            if (in == null) {
                return "unknown";
            }
            java.util.Properties props = new java.util.Properties();
            props.load(in);
            return props.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
