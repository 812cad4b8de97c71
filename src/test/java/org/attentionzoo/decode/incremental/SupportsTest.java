package org.attentionzoo.decode.incremental;

import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.RnnAttention;
import org.attentionzoo.models.Seq2Seq;
import org.attentionzoo.models.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which incremental decoder steps which card: exactly one per RNN card, none for the Transformers. */
class SupportsTest {

    static List<String> cards() {
        return Zoo.CARDS;
    }

    @ParameterizedTest
    @MethodSource("cards")
    void everyRnnCardHasExactlyOneIncrementalDecoder(String name) throws IOException {
        ModelCard card = Zoo.card(name);
        int supporting = (Seq2SeqSteps.supports(card) ? 1 : 0) + (LuongAttentionSteps.supports(card) ? 1 : 0)
                + (AttentionDecoderSteps.supports(card) ? 1 : 0);
        assertEquals(card.family() == ModelCard.Family.TRANSFORMER ? 0 : 1, supporting, name);
    }

    @Test
    void constructorsRejectCardsTheyDoNotStep() {
        ModelCard seq2seq = Seq2Seq.builder().build();
        ModelCard luong = RnnAttention.builder().build();
        ModelCard bahdanau = RnnAttention.builder().decoder(ModelCard.Decoder.BAHDANAU).build();
        assertThrows(IllegalArgumentException.class, () -> new Seq2SeqSteps(luong, null));
        assertThrows(IllegalArgumentException.class, () -> new LuongAttentionSteps(bahdanau, null));
        assertThrows(IllegalArgumentException.class, () -> new LuongAttentionSteps(luong.toBuilder().inputFeeding(true).build(), null));
        assertThrows(IllegalArgumentException.class, () -> new AttentionDecoderSteps(luong, null));
        assertThrows(IllegalArgumentException.class, () -> new AttentionDecoderSteps(seq2seq, null));
    }
}
