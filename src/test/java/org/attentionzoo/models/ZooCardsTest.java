package org.attentionzoo.models;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ZooCardsTest {

    @Test
    void shippedCardBuildsTheSameGraphAsTheJavaBuilder() throws Exception {
        ModelCard fromFile = Zoo.card("seq2seq-lstm");
        ModelCard fromJava = Seq2Seq.builder().name("seq2seq-lstm")
                .description(fromFile.description()).cell(ModelCard.Cell.LSTM)
                .embeddingSize(128).hiddenSize(256).build();
        assertEquals(fromJava, fromFile);
        assertEquals(Zoo.configuration(fromJava, 50, 60).toJson(), Zoo.configuration(fromFile, 50, 60).toJson());
    }

    @Test
    void everyListedCardLoadsFromTheModelsFolderAndTheClasspath() throws Exception {
        for (String name : Zoo.CARDS) {
            ModelCard onDisk = ModelCard.load(Path.of("models", name + ".json"));
            assertEquals(name, onDisk.name());
            assertEquals(onDisk, Zoo.card(name));
        }
        try (var files = Files.list(Path.of("models"))) {
            assertEquals(Zoo.CARDS.size(), files.filter(f -> f.toString().endsWith(".json")).count(),
                    "every card in models/ is listed in Zoo.CARDS");
        }
    }

    @Test
    void cardJsonRoundTrips() {
        ModelCard card = Seq2Seq.builder().hiddenSize(32).dropout(0.25).cell(ModelCard.Cell.GRU).build();
        assertEquals(card, ModelCard.fromJson(card.toJson(), "test"));
    }

    @Test
    void unknownCardNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Zoo.card("seq2sq"));
        assertTrue(e.getMessage().contains("seq2seq-lstm"), e.getMessage());
    }

    @Test
    void misspeltKeyAndBadValuesAreRefusedWithTheFieldName() {
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> ModelCard.fromJson("{\"hiddenSzie\": 12}", "my.json"));
        assertTrue(typo.getMessage().startsWith("my.json"), typo.getMessage());
        assertTrue(typo.getMessage().contains("hiddenSzie"), typo.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ModelCard.fromJson("{\"dropout\": 1.5}", "my.json"));
        assertTrue(bad.getMessage().contains("\"dropout\" is 1.5"), bad.getMessage());
        IllegalArgumentException cell = assertThrows(IllegalArgumentException.class,
                () -> ModelCard.fromJson("{\"cell\": \"rnn\"}", "my.json"));
        assertTrue(cell.getMessage().contains("lstm, gru"), cell.getMessage());
    }
}
