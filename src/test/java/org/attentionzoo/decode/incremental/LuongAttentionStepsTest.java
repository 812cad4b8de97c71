package org.attentionzoo.decode.incremental;

import org.attentionzoo.layers.attention.AttentionSpan;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.RnnAttention;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/**
 * {@link LuongAttentionSteps} computes what the attention graph without input feeding computes: every
 * score, every encoder (each sees the padding differently), one and two decoder layers, local-m and local-p
 * attention with windows narrow enough that they clip the sources (greedy and beam search too).
 */
class LuongAttentionStepsTest {

    static Stream<Arguments> cards() {
        ModelCard.Builder tiny = RnnAttention.builder().embeddingSize(6).hiddenSize(8).attentionSize(5);
        return Stream.of(
                Arguments.of("luong dot, bilstm", tiny.score("dot").build()),
                Arguments.of("luong general, lstm, 2 layers", tiny.score("general").encoder(ModelCard.Encoder.LSTM)
                        .encoderLayers(2).decoderLayers(2).build()),
                Arguments.of("luong concat, bilstm-builtin", tiny.score("concat").encoder(ModelCard.Encoder.BILSTM_BUILTIN)
                        .encoderLayers(1).decoderLayers(1).build()),
                Arguments.of("luong additive, bilstm, dropout", tiny.score("additive").encoder(ModelCard.Encoder.BILSTM)
                        .dropout(0.3).build()),
                Arguments.of("luong general, bilstm-graph, 2 layers, dropout", tiny.score("general")
                        .encoder(ModelCard.Encoder.BILSTM_GRAPH).encoderLayers(2).dropout(0.3).build()),
                Arguments.of("luong general, local-m, window 1", tiny.score("general").encoder(ModelCard.Encoder.BILSTM_GRAPH)
                        .encoderLayers(1).dropout(0).attention(AttentionSpan.LOCAL_M).window(1).build()),
                Arguments.of("luong concat, local-p, window 2", tiny.score("concat").attention(AttentionSpan.LOCAL_P)
                        .window(2).build()),
                Arguments.of("luong dot, local-p, window 1", tiny.score("dot").attention(AttentionSpan.LOCAL_P)
                        .window(1).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cards")
    void stepsEqualTheGraph(String label, ModelCard card) {
        StepEquivalence.check(card, label, LuongAttentionSteps::new);
    }
}
