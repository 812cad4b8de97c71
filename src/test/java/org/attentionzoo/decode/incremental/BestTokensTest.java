package org.attentionzoo.decode.incremental;

import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.decode.step.StepModel;
import org.attentionzoo.decode.step.TopTokens;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.RnnAttention;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link IncrementalStepModel#start}'s {@code bestTokens} and {@code topTokens}, which read the logits
 * (argmax, and the k best normalised by the row's log Σ exp), against the same model's log-probabilities
 * (another session, so neither shares a cache), with and without excluded tokens, for one row, a few rows
 * (matrix-vector products, see {@link org.attentionzoo.util.DirectMatmul}) and 20 rows (one matrix product).
 */
class BestTokensTest {

    @Test
    void bestTokensAreTheArgmaxOfTheLogProbabilities() {
        ModelCard card = RnnAttention.builder().embeddingSize(6).hiddenSize(8).attentionSize(5).score("general").build();
        ComputationGraph graph = StepEquivalence.randomGraph(card, DataType.FLOAT, 3);
        int[][] sources = twentySources();
        Random random = new Random(5);
        int changed = 0;
        for (int rows : new int[]{1, 5, 20}) {
            int[][] batch = Arrays.copyOf(sources, rows);
            int[] sentences = new int[rows];
            int[][] prefixes = new int[rows][];
            for (int i = 0; i < rows; i++) {
                sentences[i] = i;
                prefixes[i] = new int[]{Vocabulary.BOS_ID};
            }
            try (StepModel.Session normalised = new IncrementalStepModel(new LuongAttentionSteps(card, graph)).start(batch);
                 StepModel.Session fast = new IncrementalStepModel(new LuongAttentionSteps(card, graph)).start(batch);
                 StepModel.Session fastExcluding = new IncrementalStepModel(new LuongAttentionSteps(card, graph)).start(batch)) {
                for (int t = 1; t <= 4; t++) {
                    double[][] logProbs = normalised.logProbs(sentences, prefixes);
                    int[] best = fast.bestTokens(sentences, prefixes);
                    int[] excluded = {Vocabulary.EOS_ID, argMax(logProbs[0], new int[0])};
                    int[] bestExcluding = fastExcluding.bestTokens(sentences, prefixes, excluded);
                    for (int i = 0; i < rows; i++) {
                        assertTrue(best[i] == argMax(logProbs[i], new int[0]), rows + " rows, step " + t + ", row " + i);
                        assertTrue(bestExcluding[i] == argMax(logProbs[i], excluded), rows + " rows, step " + t + ", row " + i);
                        assertNotEquals(excluded[0], bestExcluding[i]);
                        assertNotEquals(excluded[1], bestExcluding[i]);
                        changed += best[i] != bestExcluding[i] ? 1 : 0;
                    }
                    for (int i = 0; i < rows; i++) {                    // every session extends the same prefixes
                        prefixes[i] = Arrays.copyOf(prefixes[i], t + 1);
                        prefixes[i][t] = 4 + random.nextInt(StepEquivalence.VOCAB - 4);
                    }
                }
            }
        }
        assertTrue(changed > 0, "the exclusions changed some answers");
    }

    @Test
    void topTokensAreTheBestLogProbabilitiesOfEachRow() {
        ModelCard card = RnnAttention.builder().embeddingSize(6).hiddenSize(8).attentionSize(5).score("dot").build();
        ComputationGraph graph = StepEquivalence.randomGraph(card, DataType.FLOAT, 4);
        int[][] sources = twentySources();
        for (int rows : new int[]{1, 5, 20}) {
            int[][] batch = Arrays.copyOf(sources, rows);
            int[] sentences = new int[rows];
            int[][] prefixes = new int[rows][];
            for (int i = 0; i < rows; i++) {
                sentences[i] = i;
                prefixes[i] = new int[]{Vocabulary.BOS_ID, 4 + i % 5};
            }
            try (StepModel.Session normalised = new IncrementalStepModel(new LuongAttentionSteps(card, graph)).start(batch);
                 StepModel.Session fast = new IncrementalStepModel(new LuongAttentionSteps(card, graph)).start(batch)) {
                double[][] logProbs = normalised.logProbs(sentences, prefixes);
                int[] excluded = {Vocabulary.EOS_ID, 7, argMax(logProbs[0], new int[0])};   // row 0: its max excluded
                TopTokens[] top = fast.topTokens(sentences, prefixes, 4, excluded);
                for (int i = 0; i < rows; i++) {
                    TopTokens expected = TopTokens.of(logProbs[i], 4, excluded);
                    assertArrayEquals(expected.tokens(), top[i].tokens(), rows + " rows, row " + i);
                    assertArrayEquals(expected.logProbs(), top[i].logProbs(), 1e-5, rows + " rows, row " + i);
                    double total = Arrays.stream(logProbs[i]).map(Math::exp).sum();
                    assertEquals(1.0, total, 1e-5, "the log-probabilities are normalised");
                }
            }
        }
    }

    @Test
    void theDefaultBestTokensIsTheArgmaxOfLogProbs() {
        double[][] table = {{-1.0, -0.5, -3.0, -0.5}, {-2.0, -4.0, -0.1, -9.0}};
        StepModel.Session session = (sentences, prefixes) -> new double[][]{table[0].clone(), table[1].clone()};
        int[][] prefixes = {{Vocabulary.BOS_ID}, {Vocabulary.BOS_ID}};
        assertArrayEquals(new int[]{1, 2}, session.bestTokens(new int[]{0, 1}, prefixes), "first of equal values");
        assertArrayEquals(new int[]{3, 0}, session.bestTokens(new int[]{0, 1}, prefixes, 1, 2));
    }

    /** 20 ragged sentences: {@link StepEquivalence#SOURCES} over and over. */
    private static int[][] twentySources() {
        int[][] sources = new int[20][];
        for (int i = 0; i < sources.length; i++) {
            sources[i] = StepEquivalence.SOURCES[i % StepEquivalence.SOURCES.length];
        }
        return sources;
    }

    private static int argMax(double[] row, int[] excluded) {
        int best = -1;
        for (int j = 0; j < row.length; j++) {
            final int token = j;
            if (Arrays.stream(excluded).noneMatch(e -> e == token) && (best < 0 || row[j] > row[best])) {
                best = j;
            }
        }
        return best;
    }
}
