package org.attentionzoo.decode.incremental;

import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.RnnAttention;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/**
 * {@link AttentionDecoderSteps} computes what the {@link org.attentionzoo.layers.attention.AttentionDecoder}
 * graph computes: Luong with input feeding and Bahdanau, with several scores.
 */
class AttentionDecoderStepsTest {

    static Stream<Arguments> cards() {
        ModelCard.Builder tiny = RnnAttention.builder().embeddingSize(6).hiddenSize(8).attentionSize(5);
        return Stream.of(
                Arguments.of("luong input feeding, general", tiny.inputFeeding(true).score("general").dropout(0.3).build()),
                Arguments.of("luong input feeding, concat", tiny.inputFeeding(true).score("concat").dropout(0)
                        .encoder(ModelCard.Encoder.LSTM).build()),
                Arguments.of("bahdanau, additive", RnnAttention.builder().embeddingSize(6).hiddenSize(8).attentionSize(5)
                        .decoder(ModelCard.Decoder.BAHDANAU).score("additive").build()),
                Arguments.of("bahdanau, dot", RnnAttention.builder().embeddingSize(6).hiddenSize(8)
                        .decoder(ModelCard.Decoder.BAHDANAU).score("dot").build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cards")
    void stepsEqualTheGraph(String label, ModelCard card) {
        StepEquivalence.check(card, label, AttentionDecoderSteps::new);
    }
}
