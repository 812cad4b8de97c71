package org.attentionzoo.decode.incremental;

import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.decode.GraphStepModel;
import org.attentionzoo.decode.step.StepModel;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.Zoo;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

import static org.attentionzoo.decode.incremental.TransformerFixtures.SOURCES;
import static org.attentionzoo.decode.incremental.TransformerFixtures.card;
import static org.attentionzoo.decode.incremental.TransformerFixtures.graph;
import static org.attentionzoo.decode.incremental.TransformerFixtures.maxDifference;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The core proof: on the same sources (ragged, so padded) and the same prefixes, step after step, the
 * incremental decoder's log-probabilities are the graph's ({@link GraphStepModel} re-runs the whole graph
 * on each prefix). Random weights with every parameter perturbed (non-zero biases, LayerNorm gains off 1).
 * In double precision the two agree to rounding (~1e-15), which rules out any approximation (GELU
 * variant, LayerNorm epsilon, position encoding, scaling); in float to float rounding.
 */
class TransformerStepsEquivalenceTest {

    private static final int STEPS = 9;

    static Stream<Arguments> variants() throws IOException {
        return Stream.of(
                card("post", "relu", "sinusoidal", 2, 2, 0.0),
                card("pre", "gelu", "learned", 1, 3, 0.1),             // dropout layers (identity at inference)
                card("pre", "relu", "sinusoidal", 2, 1, 0.0),
                card("post", "gelu", "learned", 1, 2, 0.1),
                Zoo.card("transformer-tiny")                           // a shipped card as it is
        ).map(c -> Arguments.of(c.name() + ", " + c.encoderLayers() + "+" + c.decoderLayers() + " layers", c));
    }

    private static double compare(ModelCard card, ComputationGraph g) {
        return maxDifference(new GraphStepModel(g), new IncrementalStepModel(new TransformerSteps(card, g)), SOURCES,
                STEPS, 4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void logProbsEqualTheGraphsInDouble(String name, ModelCard card) {
        double d = compare(card, graph(card, DataType.DOUBLE, 0.3, 3));
        System.out.printf("TransformerSteps vs graph, double, %s: max |Δ log p| = %.3g over %d steps%n", card.name(), d, STEPS);
        assertTrue(d < 1e-10, card.name() + ": " + d);
    }

    @Test
    void logProbsEqualTheGraphsWithAttentionBiases() {
        ModelCard card = card("post", "gelu", "sinusoidal", 1, 2, 0.0);
        double d = compare(card, TransformerFixtures.graphWithAttentionBiases(card, DataType.DOUBLE, 0.3, 5));
        System.out.printf("TransformerSteps vs graph, double, attention biases: max |Δ log p| = %.3g%n", d);
        assertTrue(d < 1e-10, String.valueOf(d));
    }

    @Test
    void logProbsEqualTheGraphsInFloat() {
        for (ModelCard card : List.of(card("post", "relu", "sinusoidal", 2, 2, 0.0), card("pre", "gelu", "learned", 1, 3, 0.1))) {
            double d = compare(card, graph(card, DataType.FLOAT, 0.3, 3));
            System.out.printf("TransformerSteps vs graph, float, %s: max |Δ log p| = %.3g over %d steps%n", card.name(), d, STEPS);
            assertTrue(d < 1e-4, card.name() + ": " + d);
        }
    }

    /**
     * Prefixes of several lengths in one call, some of whose parents were never asked for: the step model
     * groups them by length (rebuilding states from BOS where needed), so each TransformerSteps step sees one
     * position; the answers are still the graph's.
     */
    @Test
    void prefixesOfSeveralLengthsInOneCall() {
        ModelCard card = card("pre", "gelu", "sinusoidal", 2, 2, 0.0);
        ComputationGraph g = graph(card, DataType.DOUBLE, 0.3, 7);
        int bos = Vocabulary.BOS_ID;
        int[] sentences = {2, 0, 2, 1, 4, 3};
        int[][] prefixes = {{bos}, {bos, 5, 6}, {bos, 4}, {bos, 7, 4, 5, 9, 9}, {bos, 5, 6}, {bos, 8}};
        int[][] extended = {{bos, 5, 6, 7}, {bos, 7, 4, 5, 9, 9, 4}, {bos, 12}};
        double d;
        try (StepModel.Session graphSession = new GraphStepModel(g).start(SOURCES);
             StepModel.Session steps = new IncrementalStepModel(new TransformerSteps(card, g)).start(SOURCES)) {
            d = maxDifference(graphSession.logProbs(sentences, prefixes), steps.logProbs(sentences, prefixes));
            int[] again = {0, 1, 3};
            d = Math.max(d, maxDifference(graphSession.logProbs(again, extended), steps.logProbs(again, extended)));
        }
        System.out.printf("TransformerSteps vs graph, double, mixed prefix lengths in one call: max |Δ log p| = %.3g%n", d);
        assertTrue(d < 1e-10, String.valueOf(d));
    }
}
