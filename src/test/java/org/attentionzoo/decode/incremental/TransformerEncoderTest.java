package org.attentionzoo.decode.incremental;

import org.attentionzoo.decode.GraphStepModel;
import org.attentionzoo.models.ModelCard;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TransformerEncoder} against the graph's own encoder pass ({@link EncoderPass}) on ragged batches of one
 * to {@link StepAttention#LOOPED_SENTENCES} sentences (attention looped over the queries) and of more (batched
 * products), at every real position, for both norm positions, both
 * feed-forward activations and both position encodings, with and without attention biases; and decoding with
 * it against the graph.
 */
class TransformerEncoderTest {

    private static final int[][] FEW = TransformerFixtures.sources(new int[]{5, 2, 7, 1}, 13);
    private static final int[][] MANY = TransformerFixtures.sources(new int[]{3, 6, 1, 7, 2, 5, 4}, 13);

    private static double maxDifferenceAtRealPositions(ComputationGraph g, int layers, int[][] sources) {
        String top = "encoder_" + (layers - 1);
        Map<String, INDArray> expected = EncoderPass.run(g, sources, top);
        Map<String, INDArray> actual = TransformerEncoder.forGraph(g, top).apply(sources);
        assertEquals(expected.get(EncoderPass.SOURCE_MASK), actual.get(EncoderPass.SOURCE_MASK));
        double max = 0;
        for (int i = 0; i < sources.length; i++) {
            INDArray e = expected.get(top).get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.interval(0, sources[i].length));
            INDArray a = actual.get(top).get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.interval(0, sources[i].length));
            max = Math.max(max, e.castTo(DataType.DOUBLE).sub(a.castTo(DataType.DOUBLE)).amaxNumber().doubleValue());
        }
        return max;
    }

    @Test
    void encodesWhatTheGraphEncodes() {
        String[][] variants = {{"post", "relu", "sinusoidal"}, {"pre", "gelu", "learned"}, {"pre", "relu", "sinusoidal"}};
        for (String[] v : variants) {
            ModelCard card = TransformerFixtures.card(v[0], v[1], v[2], 2, 1, 0.1);
            ComputationGraph g = TransformerFixtures.graph(card, DataType.FLOAT, 0.2, 3);
            for (int n = 1; n <= FEW.length; n++) {
                double d = maxDifferenceAtRealPositions(g, 2, Arrays.copyOf(FEW, n));
                assertTrue(d < 1e-5, Arrays.toString(v) + ", " + n + " sentences: max |difference| " + d);
            }
            double d = maxDifferenceAtRealPositions(g, 2, MANY);
            assertTrue(d < 1e-5, Arrays.toString(v) + ", " + MANY.length + " sentences (batched): max |difference| " + d);
        }
        assertTrue(MANY.length > StepAttention.LOOPED_SENTENCES && FEW.length <= StepAttention.LOOPED_SENTENCES);
        ModelCard card = TransformerFixtures.card("post", "gelu", "sinusoidal", 1, 1, 0.0);
        ComputationGraph biased = TransformerFixtures.graphWithAttentionBiases(card, DataType.FLOAT, 0.2, 4);
        for (int[][] sources : new int[][][]{FEW, MANY}) {
            double d = maxDifferenceAtRealPositions(biased, 1, sources);
            assertTrue(d < 1e-5, "attention biases, " + sources.length + " sentences: max |difference| " + d);
        }
    }

    @Test
    void decodingWithItMatchesTheGraph() {
        ModelCard card = TransformerFixtures.card("pre", "relu", "learned", 2, 2, 0.1);
        ComputationGraph g = TransformerFixtures.graph(card, DataType.FLOAT, 0.2, 6);
        double d = TransformerFixtures.maxDifference(new GraphStepModel(g),
                new org.attentionzoo.decode.incremental.IncrementalStepModel(new TransformerSteps(card, g)), FEW, 6, 2);
        assertTrue(d < 1e-4, "max |Δ log p| " + d);
    }
}
