package org.attentionzoo.decode.incremental;

import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.decode.step.StepModel;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.Transformer;
import org.attentionzoo.models.Zoo;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/** Tiny random Transformer graphs and the comparison of two step models on the same prefixes. */
final class TransformerFixtures {

    static final int SOURCE_VOCAB = 19;
    static final int TARGET_VOCAB = 23;
    /** Ragged source lengths, so the batch is padded. */
    static final int[][] SOURCES = sources(new int[]{5, 2, 7, 1, 4}, 11);

    private TransformerFixtures() {
    }

    /** A small card: d_model 16, 2 heads, d_ff 24. */
    static ModelCard card(String norm, String activation, String positional, int encoderLayers, int decoderLayers,
                          double dropout) {
        return Transformer.builder().name(norm + "-" + activation + "-" + positional).embeddingSize(16).hiddenSize(16)
                .heads(2).ffSize(24).encoderLayers(encoderLayers).decoderLayers(decoderLayers).norm(norm)
                .ffActivation(activation).positional(positional).maxPositions(32).dropout(dropout).seed(5).build();
    }

    /**
     * The card's graph with every parameter moved by uniform noise in [−noise, noise] (so biases, LayerNorm
     * gains and biases are not at their initial 0 and 1), in the given type.
     */
    static ComputationGraph graph(ModelCard card, DataType type, double noise, long seed) {
        return perturbed(new ComputationGraph(Transformer.configuration(card, SOURCE_VOCAB, TARGET_VOCAB)), type, noise, seed);
    }

    /** As {@link #graph}, with biases on every attention projection (not reachable from a card). */
    static ComputationGraph graphWithAttentionBiases(ModelCard card, DataType type, double noise, long seed) {
        String json = Transformer.configuration(card, SOURCE_VOCAB, TARGET_VOCAB).toJson();
        String biased = json.replace("\"attentionBias\" : false", "\"attentionBias\" : true");
        if (biased.equals(json)) {
            throw new IllegalStateException("no attentionBias field in the configuration JSON");
        }
        return perturbed(new ComputationGraph(ComputationGraphConfiguration.fromJson(biased)), type, noise, seed);
    }

    private static ComputationGraph perturbed(ComputationGraph g, DataType type, double noise, long seed) {
        g.init();
        Nd4j.getRandom().setSeed(seed);
        INDArray p = g.params();
        p.addi(Nd4j.rand(p.dataType(), p.shape()).subi(0.5).muli(2 * noise));
        return type == p.dataType() ? g : g.convertDataType(type);
    }

    /** Random word ids (≥ 4) of the given lengths. */
    static int[][] sources(int[] lengths, long seed) {
        Random r = new Random(seed);
        int[][] s = new int[lengths.length][];
        for (int i = 0; i < lengths.length; i++) {
            s[i] = r.ints(lengths[i], 4, SOURCE_VOCAB).toArray();
        }
        return s;
    }

    /**
     * Feeds both step models the same prefixes, one token longer each call (random target words, two rows
     * per sentence with different prefixes, as beams), and returns the largest |difference| of their
     * log-probabilities over all calls.
     */
    static double maxDifference(StepModel expected, StepModel actual, int[][] sources, int steps, long seed) {
        Random r = new Random(seed);
        int rows = 2 * sources.length;
        int[] sentences = new int[rows];
        int[][] prefixes = new int[rows][];
        for (int i = 0; i < rows; i++) {
            sentences[i] = i % sources.length;
            prefixes[i] = new int[]{Vocabulary.BOS_ID};
        }
        double max = 0;
        try (StepModel.Session a = expected.start(sources); StepModel.Session b = actual.start(sources)) {
            for (int t = 0; t < steps; t++) {
                if (t > 0) {
                    for (int i = 0; i < rows; i++) {
                        int[] p = java.util.Arrays.copyOf(prefixes[i], prefixes[i].length + 1);
                        p[p.length - 1] = 4 + r.nextInt(TARGET_VOCAB - 4);
                        prefixes[i] = p;
                    }
                }
                max = Math.max(max, maxDifference(a.logProbs(sentences, prefixes), b.logProbs(sentences, prefixes)));
            }
        }
        return max;
    }

    static double maxDifference(double[][] a, double[][] b) {
        if (a.length != b.length) {
            throw new AssertionError(a.length + " rows vs " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i].length != b[i].length) {
                throw new AssertionError("row " + i + ": " + a[i].length + " vs " + b[i].length + " columns");
            }
            for (int j = 0; j < a[i].length; j++) {
                double d = Math.abs(a[i][j] - b[i][j]);
                max = Math.max(max, Double.isNaN(d) ? Double.POSITIVE_INFINITY : d);
            }
        }
        return max;
    }
}
