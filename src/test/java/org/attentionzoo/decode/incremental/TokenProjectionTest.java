package org.attentionzoo.decode.incremental;

import org.attentionzoo.models.GraphNames;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.RnnAttention;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TokenProjection}: its rows are the product (E y) W, it follows the parameters from one training step to
 * the next, a graph's workers share one table ({@link DerivedArray}), and above its size limit the decoders
 * multiply instead, with the same results.
 */
class TokenProjectionTest {

    private static final ModelCard CARD = RnnAttention.builder().embeddingSize(6).hiddenSize(8).attentionSize(5)
            .score("general").build();

    private static INDArray decoderInputWeights(ComputationGraph graph) {
        return graph.getLayer(GraphNames.decoderLayer(0)).getParam(LSTMParamInitializer.INPUT_WEIGHT_KEY);
    }

    @Test
    void rowsAreTheEmbeddingTimesTheWeights() {
        ComputationGraph graph = StepEquivalence.randomGraph(CARD, DataType.DOUBLE, 3);
        TokenEmbedding embedding = new TokenEmbedding(graph, GraphNames.TARGET_EMBEDDING);
        INDArray w = decoderInputWeights(graph);                           // [e + h, 4H]; its first e rows take E y
        INDArray head = w.get(NDArrayIndex.interval(0, 6), NDArrayIndex.all());
        TokenProjection projection = TokenProjection.of(graph, "decoder_0", embedding, head);
        assertNotNull(projection);
        int[] tokens = {3, 0, 3, StepEquivalence.VOCAB - 1};
        double[][] rows = projection.rows(tokens).toDoubleMatrix();
        double[][] e = embedding.table().toDoubleMatrix();
        double[][] h = head.toDoubleMatrix();
        for (int r = 0; r < tokens.length; r++) {
            for (int j = 0; j < h[0].length; j++) {
                double sum = 0;
                for (int k = 0; k < h.length; k++) {
                    sum += e[tokens[r]][k] * h[k][j];
                }
                assertEquals(sum, rows[r][j], 1e-12, "row " + r + ", column " + j);
            }
        }
    }

    @Test
    void stepModelsFollowTheParametersAfterATrainingStep() {
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            double tolerance = type == DataType.FLOAT ? 1e-4 : 1e-10;
            ComputationGraph graph = StepEquivalence.randomGraph(CARD, type, 11);
            LuongAttentionSteps steps = new LuongAttentionSteps(CARD, graph);
            double before = StepEquivalence.maxLogProbDifference(graph, steps, 5);        // builds the tables
            Nd4j.getRandom().setSeed(12);
            graph.params().assign(Nd4j.randn(type, graph.params().shape()));            // what an update does, in full
            graph.getConfiguration().setIterationCount(graph.getIterationCount() + 1);  // as every fit step does
            double after = StepEquivalence.maxLogProbDifference(graph, steps, 5);
            assertTrue(before < tolerance && after < tolerance, type + ": max |log p difference| " + before + ", then " + after);
        }
    }

    @Test
    void aGraphsWorkersShareOneTable() {
        ComputationGraph graph = StepEquivalence.randomGraph(CARD, DataType.FLOAT, 3);
        ComputationGraph other = StepEquivalence.randomGraph(CARD, DataType.FLOAT, 3);
        int[] calls = new int[1];
        java.util.function.Supplier<INDArray> compute = () -> {
            calls[0]++;
            return Nd4j.ones(DataType.FLOAT, 2, 2);
        };
        DerivedArray first = DerivedArray.of(graph, "table", compute);
        assertSame(first, DerivedArray.of(graph, "table", compute));
        assertNotSame(first, DerivedArray.of(graph, "another table", compute));
        assertNotSame(first, DerivedArray.of(other, "table", compute));
        INDArray a = first.get();
        assertSame(a, DerivedArray.of(graph, "table", compute).get());
        assertEquals(1, calls[0], "computed once for both");
        graph.getConfiguration().setIterationCount(graph.getIterationCount() + 1);
        assertNotSame(a, first.get());
        assertEquals(2, calls[0], "computed again after a training step");
    }

    @Test
    void aboveTheSizeLimitTheDecodersMultiply() {
        String old = System.getProperty(TokenProjection.MAX_BYTES_PROPERTY);
        System.setProperty(TokenProjection.MAX_BYTES_PROPERTY, "0");
        try {
            ComputationGraph graph = StepEquivalence.randomGraph(CARD, DataType.FLOAT, 11);
            assertNull(TokenProjection.of(graph, "decoder_0", new TokenEmbedding(graph, GraphNames.TARGET_EMBEDDING), decoderInputWeights(graph)
                    .get(NDArrayIndex.interval(0, 6), NDArrayIndex.all())));
            StepEquivalence.check(CARD, "luong general, no token tables", LuongAttentionSteps::new);
        } finally {
            if (old == null) {
                System.clearProperty(TokenProjection.MAX_BYTES_PROPERTY);
            } else {
                System.setProperty(TokenProjection.MAX_BYTES_PROPERTY, old);
            }
        }
    }
}
