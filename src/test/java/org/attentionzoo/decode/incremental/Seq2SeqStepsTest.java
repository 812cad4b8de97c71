package org.attentionzoo.decode.incremental;

import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.Seq2Seq;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/** {@link Seq2SeqSteps} computes what the seq2seq graph computes: LSTM and GRU, one and two layers. */
class Seq2SeqStepsTest {

    static Stream<Arguments> cards() {
        ModelCard.Builder tiny = Seq2Seq.builder().embeddingSize(6).hiddenSize(8);
        return Stream.of(
                Arguments.of("seq2seq lstm, 1 layer", tiny.cell(ModelCard.Cell.LSTM).build()),
                Arguments.of("seq2seq lstm, 2 layers", tiny.cell(ModelCard.Cell.LSTM).encoderLayers(2).decoderLayers(2)
                        .dropout(0.3).build()),
                Arguments.of("seq2seq gru, 1 layer", tiny.cell(ModelCard.Cell.GRU).encoderLayers(1).decoderLayers(1)
                        .dropout(0).build()),
                Arguments.of("seq2seq gru, 2 layers", tiny.cell(ModelCard.Cell.GRU).encoderLayers(2).decoderLayers(2).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cards")
    void stepsEqualTheGraph(String label, ModelCard card) {
        StepEquivalence.check(card, label, Seq2SeqSteps::new);
    }
}
