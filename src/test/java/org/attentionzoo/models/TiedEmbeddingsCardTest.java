package org.attentionzoo.models;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The card option {@code tieEmbeddings}: absent means none (old cards load unchanged), values checked. */
class TiedEmbeddingsCardTest {

    @Test
    void aCardWithoutTheKeyIsUntiedAndWritesNoKey() throws Exception {
        ModelCard old = ModelCard.fromJson("{\"family\": \"attention\", \"embeddingSize\": 8, \"hiddenSize\": 16}", "old");
        assertEquals(ModelCard.Tie.NONE, old.tieEmbeddings());
        assertFalse(old.toJson().contains("tieEmbeddings"), old.toJson());
        for (String name : Zoo.CARDS) {
            assertEquals(ModelCard.Tie.NONE, Zoo.card(name).tieEmbeddings(), name);
        }
        ModelCard none = Seq2Seq.builder().tieEmbeddings(ModelCard.Tie.NONE).build();
        assertEquals(Seq2Seq.builder().build().toJson(), none.toJson(), "none is the default, not written");
    }

    @Test
    void theValueIsWrittenAndReadBack() {
        ModelCard card = Transformer.builder().embeddingSize(16).hiddenSize(16).tieEmbeddings(ModelCard.Tie.DECODER).build();
        assertTrue(card.toJson().contains("\"tieEmbeddings\" : \"decoder\""), card.toJson());
        ModelCard back = ModelCard.fromJson(card.toJson(), "test");
        assertEquals(ModelCard.Tie.DECODER, back.tieEmbeddings());
        assertEquals(card, back);
        assertEquals(ModelCard.Tie.ALL, ModelCard.fromJson(
                "{\"embeddingSize\": 8, \"hiddenSize\": 8, \"tieEmbeddings\": \"all\"}", "x").tieEmbeddings());
    }

    @Test
    void badValuesAreRefusedWithTheFieldNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelCard.fromJson(
                "{\"embeddingSize\": 8, \"hiddenSize\": 8, \"tieEmbeddings\": \"encoder\"}", "card.json"));
        assertEquals("card.json: \"tieEmbeddings\": \"encoder\" is not one of: none, decoder, all", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelCard.fromJson(
                "{\"embeddingSize\": 8, \"hiddenSize\": 16, \"tieEmbeddings\": \"decoder\"}", "card.json"));
        assertEquals("card.json: \"tieEmbeddings\" is decoder; it must be none unless embeddingSize (8) equals hiddenSize"
                + " (16), the output layer's input size", e.getMessage());
    }
}
