package org.attentionzoo.decode.incremental;

import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.decode.BeamSearch;
import org.attentionzoo.decode.GraphStepModel;
import org.attentionzoo.decode.GreedyDecoder;
import org.attentionzoo.decode.Hypothesis;
import org.attentionzoo.decode.LengthLimit;
import org.attentionzoo.decode.step.StepModel;
import org.attentionzoo.models.GraphNames;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.Zoo;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proof that an {@link IncrementalDecoder} computes what its graph computes: tiny random models of a
 * card, ragged sources in one batch, and the log-probabilities of {@link IncrementalStepModel} compared with
 * those of {@link GraphStepModel} on the same prefixes, step after step; then greedy decoding and beam
 * search with each.
 */
final class StepEquivalence {

    /** Source and target vocabulary size (4 special tokens and 9 words). */
    static final int VOCAB = 13;
    /** Ragged sources, one batch: lengths 4, 1, 6, 2, 5 (padding reaches every sentence but the longest). */
    static final int[][] SOURCES = {{4, 5, 6, 7}, {8}, {9, 10, 11, 12, 4, 5}, {6, 12}, {7, 7, 8, 11, 9}};
    /** Decoding steps compared (prefix lengths 1..STEPS). */
    static final int STEPS = 7;

    private StepEquivalence() {
    }

    /**
     * The card's graph in the given data type with every parameter drawn from N(0, 1): Xavier-initialised
     * tiny models give nearly uniform distributions, where a rounding difference could flip a search. The
     * output biases of PAD, BOS and UNK are then set to −5, so that, as in a trained model, the outputs are
     * words and EOS (some greedy outputs end before the length limit; {@link #check} prints their lengths).
     */
    static ComputationGraph randomGraph(ModelCard card, DataType dataType, long seed) {
        ComputationGraphConfiguration conf = Zoo.configuration(card, VOCAB, VOCAB);
        conf.setDataType(dataType);
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        Nd4j.getRandom().setSeed(seed);
        graph.params().assign(Nd4j.randn(dataType, graph.params().shape()));
        INDArray outputBias = graph.getLayer(GraphNames.OUTPUT).getParam(DefaultParamInitializer.BIAS_KEY);
        for (int special : new int[]{Vocabulary.PAD_ID, Vocabulary.BOS_ID, Vocabulary.UNK_ID}) {
            outputBias.putScalar(special, -5.0);
        }
        return graph;
    }

    /**
     * Runs both step models over {@link #STEPS} steps of teacher-forced random prefixes, two per sentence,
     * rows in a new random order every step (so rows select their parents' states out of order); the
     * hypotheses of sentence 1 skip step 3 (as a finished hypothesis would leave the beam), so at step 4 their
     * parents are not cached and are rebuilt from BOS. A last call mixes prefix lengths none of which was
     * asked for before.
     *
     * @return the largest |log p_incremental − log p_graph| over every row and token
     */
    static double maxLogProbDifference(ComputationGraph graph, IncrementalDecoder decoder, long seed) {
        Random random = new Random(seed);
        int mb = SOURCES.length;
        int[][] targets = new int[2 * mb][STEPS];
        for (int[] t : targets) {
            t[0] = Vocabulary.BOS_ID;
            for (int j = 1; j < STEPS; j++) {
                t[j] = 2 + random.nextInt(VOCAB - 2);                                   // EOS or a word
            }
        }
        double max = 0;
        try (StepModel.Session expected = new GraphStepModel(graph).start(SOURCES);
             StepModel.Session actual = new IncrementalStepModel(decoder).start(SOURCES)) {
            for (int t = 1; t <= STEPS; t++) {
                List<Integer> rows = new ArrayList<>();
                for (int k = 0; k < 2 * mb; k++) {
                    if (t != 3 || k / 2 != 1) {
                        rows.add(k);
                    }
                }
                Collections.shuffle(rows, random);
                int[] sentences = new int[rows.size()];
                int[][] prefixes = new int[rows.size()][];
                for (int i = 0; i < sentences.length; i++) {
                    sentences[i] = rows.get(i) / 2;
                    prefixes[i] = Arrays.copyOf(targets[rows.get(i)], t);
                }
                max = Math.max(max, maxAbsDifference(expected.logProbs(sentences, prefixes),
                        actual.logProbs(sentences, prefixes)));
            }
            int bos = Vocabulary.BOS_ID;
            int[] sentences = {3, 0, 3};
            int[][] prefixes = {{bos, 5, 9}, {bos, 12, 4, 4, 7, 6}, {bos}};
            max = Math.max(max, maxAbsDifference(expected.logProbs(sentences, prefixes), actual.logProbs(sentences, prefixes)));
        }
        return max;
    }

    /**
     * Greedy decoding and beam search (beam 3, 3-best) give the same outputs with both step models, and
     * log-probabilities that agree to {@code tolerance}.
     *
     * @return the generated lengths of the greedy outputs, to show the searches were not trivial
     */
    static List<Integer> assertSameSearches(ComputationGraph graph, IncrementalDecoder decoder, double tolerance) {
        StepModel expected = new GraphStepModel(graph);
        StepModel actual = new IncrementalStepModel(decoder);
        LengthLimit limit = new LengthLimit(1.0, 3);
        int[][] greedy = new GreedyDecoder(expected, limit).decode(SOURCES);
        assertArrayEquals(greedy, new GreedyDecoder(actual, limit).decode(SOURCES), "greedy");
        BiFunction<StepModel, Integer, List<List<Hypothesis>>> beam = (m, k) -> new BeamSearch(m, k, k, 0.6, limit).search(SOURCES);
        List<List<Hypothesis>> expectedBeams = beam.apply(expected, 3);
        List<List<Hypothesis>> actualBeams = beam.apply(actual, 3);
        for (int s = 0; s < SOURCES.length; s++) {
            assertEquals(expectedBeams.get(s).size(), actualBeams.get(s).size(), "sentence " + s);
            for (int k = 0; k < expectedBeams.get(s).size(); k++) {
                Hypothesis e = expectedBeams.get(s).get(k);
                Hypothesis a = actualBeams.get(s).get(k);
                assertArrayEquals(e.tokens(), a.tokens(), "sentence " + s + ", hypothesis " + k);
                assertEquals(e.logProb(), a.logProb(), tolerance, "sentence " + s + ", hypothesis " + k);
                assertEquals(e.score(), a.score(), tolerance, "sentence " + s + ", hypothesis " + k);
            }
        }
        return Arrays.stream(greedy).map(g -> g.length).toList();
    }

    /** Both checks on one card: float graph (searches too) and double graph; prints and bounds the differences. */
    static void check(ModelCard card, String label, BiFunction<ModelCard, ComputationGraph, IncrementalDecoder> steps) {
        ComputationGraph floatGraph = randomGraph(card, DataType.FLOAT, 11);
        double inFloat = maxLogProbDifference(floatGraph, steps.apply(card, floatGraph), 5);
        List<Integer> lengths = assertSameSearches(floatGraph, steps.apply(card, floatGraph), 1e-4);
        ComputationGraph doubleGraph = randomGraph(card, DataType.DOUBLE, 11);
        double inDouble = maxLogProbDifference(doubleGraph, steps.apply(card, doubleGraph), 5);
        System.out.printf("%-28s max |log p diff|: float %.2e, double %.2e; greedy lengths %s%n", label, inFloat, inDouble, lengths);
        assertTrue(inFloat < 1e-4, label + " float: max |difference| " + inFloat);
        assertTrue(inDouble < 1e-10, label + " double: max |difference| " + inDouble);
    }

    private static double maxAbsDifference(double[][] a, double[][] b) {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i].length, b[i].length);
            for (int j = 0; j < a[i].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return max;
    }
}
