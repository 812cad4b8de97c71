package org.attentionzoo.decode.incremental;

import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.Seq2Seq;
import org.attentionzoo.models.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    /** So the comparisons above cover both decoder inputs: an LSTM's split product, a GRU's whole input. */
    @Test
    void anLstmDecoderMultipliesTheContextOncePerSentence() throws Exception {
        for (ModelCard.Cell cell : ModelCard.Cell.values()) {
            ModelCard card = Seq2Seq.builder().embeddingSize(6).hiddenSize(8).cell(cell).build();
            RowState encoded = new Seq2SeqSteps(card, Zoo.init(card, 11, 13)).encode(new int[][]{{4, 5, 6}, {7, 8}});
            assertEquals(cell == ModelCard.Cell.LSTM, encoded.has(LuongAttentionSteps.CONTEXT_PRODUCT), cell.name());
        }
    }
}
