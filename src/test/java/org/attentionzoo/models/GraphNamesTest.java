package org.attentionzoo.models;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vertex names are written into every saved model: they are exactly these strings, and the graph builders
 * use them.
 */
class GraphNamesTest {

    @Test
    void namesAreTheSavedModelsStrings() {
        assertEquals("encoder_0", GraphNames.encoderLayer(0));
        assertEquals("encoder_12", GraphNames.encoderLayer(12));
        assertEquals("decoder_3", GraphNames.decoderLayer(3));
        assertEquals("encoder_1_fwd", GraphNames.forwardLstm("encoder_1"));
        assertEquals("encoder_1_reversed", GraphNames.reversedInput("encoder_1"));
        assertEquals("encoder_1_bwd", GraphNames.backwardLstm("encoder_1"));
        assertEquals("encoder_1_bwd_reversed", GraphNames.backwardInSourceOrder("encoder_1"));
        assertEquals("output_dropout", GraphNames.dropoutBefore("output"));
        assertEquals("attention", GraphNames.ATTENTION);
        assertEquals("context_repeated", GraphNames.CONTEXT_REPEATED);
        assertEquals("source_positions", GraphNames.SOURCE_POSITIONS);
        assertEquals("target_embedded_dropout", GraphNames.dropoutBefore(GraphNames.TARGET_EMBEDDED));
    }

    @Test
    void aBidirectionalGraphEncoderIsBuiltFromTheseNames() {
        ModelCard card = RnnAttention.builder().encoder(ModelCard.Encoder.BILSTM_GRAPH).embeddingSize(4).hiddenSize(6).attentionSize(4)
                .encoderLayers(2).dropout(0.1).build();
        Set<String> vertices = new TreeSet<>(RnnAttention.configuration(card, 7, 9).getVertices().keySet());
        for (int i = 0; i < 2; i++) {
            String layer = GraphNames.encoderLayer(i);
            for (String v : new String[]{layer, GraphNames.forwardLstm(layer), GraphNames.reversedInput(layer),
                    GraphNames.backwardLstm(layer), GraphNames.backwardInSourceOrder(layer), GraphNames.dropoutBefore(layer)}) {
                assertTrue(vertices.contains(v), v + " in " + vertices);
            }
        }
        assertTrue(vertices.containsAll(Set.of(GraphNames.ATTENTION, GraphNames.CONTEXT, GraphNames.CONTEXT_REPEATED,
                GraphNames.DECODER_INPUT, GraphNames.decoderLayer(0), GraphNames.OUTPUT)), vertices.toString());

        ModelCard t = Transformer.builder().embeddingSize(8).hiddenSize(8).heads(2).ffSize(16).encoderLayers(1).decoderLayers(2)
                .dropout(0.1).build();
        Set<String> tv = Transformer.configuration(t, 7, 9).getVertices().keySet();
        assertTrue(tv.containsAll(Set.of(GraphNames.SOURCE_POSITIONS, GraphNames.dropoutBefore(GraphNames.SOURCE_EMBEDDED),
                GraphNames.TARGET_POSITIONS, GraphNames.dropoutBefore(GraphNames.TARGET_EMBEDDED), GraphNames.encoderLayer(0),
                GraphNames.decoderLayer(0), GraphNames.decoderLayer(1))), tv.toString());
    }
}
