package org.attentionzoo.decode.incremental;

import org.attentionzoo.models.GraphNames;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.RnnAttention;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RecurrentEncoder} runs the bidirectional encoders without the graph: for the SameDiff {@code bilstm} layer
 * and for {@code bilstm-graph}, one and two layers, its top states at every real source position and its context
 * equal the graph's ({@link EncoderPass}) in float, on ragged sources (each backward direction starts at its
 * sentence's own last token).
 */
class RecurrentEncoderTest {

    @ParameterizedTest(name = "{0}, {1} layers")
    @CsvSource({"BILSTM,1", "BILSTM,2", "BILSTM_GRAPH,1", "BILSTM_GRAPH,2"})
    void equalsTheGraphsEncoder(ModelCard.Encoder encoder, int layers) {
        ModelCard card = RnnAttention.builder().embeddingSize(6).hiddenSize(8).attentionSize(5).score("general")
                .encoder(encoder).encoderLayers(layers).build();
        ComputationGraph graph = StepEquivalence.randomGraph(card, DataType.FLOAT, 3);
        RecurrentEncoder encoder0 = RecurrentEncoder.of(graph, layers);
        assertNotNull(encoder0, "the graph's encoder is one RecurrentEncoder runs");
        String top = GraphNames.encoderLayer(layers - 1);
        int[][] sources = StepEquivalence.SOURCES;
        Map<String, INDArray> ours = encoder0.run(sources);
        Map<String, INDArray> graphs = EncoderPass.run(graph, sources, GraphNames.CONTEXT, top);

        INDArray context = graphs.get(GraphNames.CONTEXT);
        assertArrayEquals(context.shape(), ours.get(GraphNames.CONTEXT).shape());
        assertClose(context, ours.get(GraphNames.CONTEXT), "context");
        INDArray expected = graphs.get(top);
        INDArray actual = ours.get(top);
        assertArrayEquals(expected.shape(), actual.shape());
        for (int n = 0; n < sources.length; n++) {
            for (int s = 0; s < sources[n].length; s++) {
                assertClose(expected.slice(n).getColumn(s), actual.slice(n).getColumn(s), "sentence " + n + " step " + s);
            }
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = expected.amaxNumber().doubleValue();
        assertTrue(scale > 1e-3, what + " is (nearly) all zero");
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertEquals(0.0, diff, 1e-5 * Math.max(1, scale), what + ": max difference");
    }
}
