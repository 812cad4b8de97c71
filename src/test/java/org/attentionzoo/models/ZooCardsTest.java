package org.attentionzoo.models;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ZooCardsTest {

    @Test
    void shippedCardBuildsTheSameGraphAsTheJavaBuilder() throws Exception {
        ModelCard fromFile = Zoo.card("seq2seq-lstm");
        ModelCard fromJava = Seq2Seq.builder().name("seq2seq-lstm")
                .description(fromFile.description()).cell(ModelCard.Cell.LSTM)
                .embeddingSize(128).hiddenSize(256).gradientClip(0).maxGradNorm(1.0).build();
        assertEquals(fromJava, fromFile);
        assertEquals(Zoo.configuration(fromJava, 50, 60).toJson(), Zoo.configuration(fromFile, 50, 60).toJson());
    }

    @Test
    void attentionCardBuildsTheSameGraphAsTheJavaBuilderAndCountsVertexParameters() throws Exception {
        ModelCard fromFile = Zoo.card("luong-general");
        ModelCard fromJava = RnnAttention.builder().name("luong-general").description(fromFile.description())
                .encoder(ModelCard.Encoder.BILSTM_GRAPH).decoder(ModelCard.Decoder.LUONG).score("general")
                .embeddingSize(256).hiddenSize(256).attentionSize(256).dropout(0.1).gradientClip(0).maxGradNorm(1.0)
                .build();
        assertEquals(fromJava, fromFile);
        assertEquals(Zoo.configuration(fromJava, 50, 60).toJson(), Zoo.configuration(fromFile, 50, 60).toJson());
        // general adds W_a (256 x 256) to dot's parameters; concat adds W_q, W_k (256 x 256 each) and v_a (256).
        long dot = Zoo.parameterCount(Zoo.init(Zoo.card("luong-dot"), 50, 60));
        long general = Zoo.parameterCount(Zoo.init(fromFile, 50, 60));
        long concat = Zoo.parameterCount(Zoo.init(Zoo.card("luong-concat"), 50, 60));
        assertEquals(256 * 256, general - dot);
        assertEquals(2 * 256 * 256 + 256, concat - dot);
    }

    @Test
    void everyListedCardLoadsFromTheModelsFolderAndTheClasspath() throws Exception {
        List<String> all = new ArrayList<>(Zoo.CARDS);
        all.addAll(Zoo.CLASSIFIER_CARDS);
        for (String name : all) {
            ModelCard onDisk = ModelCard.load(Path.of("models", name + ".json"));
            assertEquals(name, onDisk.name());
            assertEquals(onDisk, Zoo.card(name));
        }
        try (var files = Files.list(Path.of("models"))) {
            assertEquals(all.size(), files.filter(f -> f.toString().endsWith(".json")).count(),
                    "every card in models/ is listed in Zoo.CARDS or Zoo.CLASSIFIER_CARDS");
        }
    }

    @Test
    void cardJsonRoundTrips() {
        ModelCard card = Seq2Seq.builder().hiddenSize(32).dropout(0.25).cell(ModelCard.Cell.GRU).build();
        assertEquals(card, ModelCard.fromJson(card.toJson(), "test"));
    }

    @Test
    void aCardSavedBeforeMaxGradNormKeepsItsElementWiseClippingAndHasNoNormClipping() {
        // A card as every saved model stored it before the field existed: gradientClip, no maxGradNorm.
        ModelCard old = ModelCard.fromJson("{\"name\": \"old\", \"family\": \"seq2seq\", \"gradientClip\": 5.0}", "old.json");
        assertEquals(0.0, old.maxGradNorm());
        assertEquals(5.0, old.gradientClip());
        assertFalse(old.toJson().contains("maxGradNorm"), "written back unchanged: " + old.toJson());
        var layer = (org.deeplearning4j.nn.conf.layers.BaseLayer) ((org.deeplearning4j.nn.conf.graph.LayerVertex)
                Zoo.configuration(old, 20, 20).getVertices().get(GraphNames.OUTPUT)).getLayerConf().getLayer();
        assertEquals(org.deeplearning4j.nn.conf.GradientNormalization.ClipElementWiseAbsoluteValue,
                layer.getGradientNormalization());
        assertEquals(5.0, layer.getGradientNormalizationThreshold());
    }

    @Test
    void shippedCardsClipTheGlobalNormAtOneLikeThePyTorchPeerAndNotElementWise() throws Exception {
        List<String> all = new ArrayList<>(Zoo.CARDS);
        all.addAll(Zoo.CLASSIFIER_CARDS);
        for (String name : all) {
            ModelCard card = Zoo.card(name);
            boolean toy = name.equals("transformer-tiny");   // keeps its element-wise clipping: see its description
            assertEquals(toy ? 0.0 : 1.0, card.maxGradNorm(), name);
            assertEquals(toy ? 5.0 : 0.0, card.gradientClip(), name);
        }
        ModelCard card = Seq2Seq.builder().maxGradNorm(2.5).build();
        assertEquals(card, ModelCard.fromJson(card.toJson(), "test"));
        assertEquals(2.5, ModelCard.fromJson(card.toJson(), "test").maxGradNorm());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ModelCard.fromJson("{\"maxGradNorm\": -1}", "my.json"));
        assertTrue(bad.getMessage().contains("\"maxGradNorm\" is -1"), bad.getMessage());
    }

    @Test
    void transformerCardDropoutReachesEveryEncoderAndDecoderLayer() {
        ModelCard card = Transformer.builder().hiddenSize(16).embeddingSize(16).heads(2).encoderLayers(2).decoderLayers(2)
                .dropout(0.15).attentionDropout(0.05).build();
        var vertices = Zoo.configuration(card, 20, 20).getVertices();
        for (String name : List.of("encoder_0", "encoder_1")) {
            var layer = (org.attentionzoo.layers.transformer.EncoderLayer)
                    ((org.deeplearning4j.nn.conf.graph.LayerVertex) vertices.get(name)).getLayerConf().getLayer();
            assertEquals(0.15, layer.getResidualDropout(), name);
            assertEquals(0.05, layer.getAttentionDropout(), name);
        }
        for (String name : List.of("decoder_0", "decoder_1")) {
            var layer = (org.attentionzoo.layers.transformer.DecoderLayer) vertices.get(name);
            assertEquals(0.15, layer.residualDropout(), name);
            assertEquals(0.05, layer.attentionDropout(), name);
        }
        ModelCard classifier = EncoderClassifier.builder().hiddenSize(16).embeddingSize(16).heads(2).dropout(0.2).build();
        var layer = (org.attentionzoo.layers.transformer.EncoderLayer) ((org.deeplearning4j.nn.conf.graph.LayerVertex)
                EncoderClassifier.configuration(classifier, 20, 3).getVertices().get("encoder_0")).getLayerConf().getLayer();
        assertEquals(0.2, layer.getResidualDropout());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelCard.fromJson("{\"family\": \"attention\", \"attentionDropout\": 0.1}", "my.json"));
        assertTrue(e.getMessage().contains("attentionDropout"), e.getMessage());
    }

    @Test
    void aFolderNamedLikeACardDoesNotHideTheCard() throws Exception {
        Path folder = Files.createDirectories(Path.of("luong-general"));
        try {
            assertEquals("luong-general", Zoo.card("luong-general").name(), "a run folder named after the card");
        } finally {
            Files.deleteIfExists(folder);
        }
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

    @Test
    void localAttentionOptionIsChecked() throws Exception {
        ModelCard local = Zoo.card("luong-local-p");
        assertEquals(org.attentionzoo.layers.attention.AttentionSpan.LOCAL_P, local.attention());
        assertEquals(10, local.window());
        assertEquals(org.attentionzoo.layers.attention.AttentionSpan.GLOBAL, Zoo.card("luong-general").attention());
        org.junit.jupiter.api.Assertions.assertFalse(Zoo.card("luong-general").toJson().contains("\"attention\" :"));
        org.junit.jupiter.api.Assertions.assertTrue(local.toJson().contains("\"attention\" : \"local-p\""), local.toJson());
        String base = "{\"name\": \"x\", \"family\": \"attention\", ";
        assertMessage(base + "\"attention\": \"local\"}", "\"attention\" is local; it must be one of global, local-m, local-p");
        assertMessage(base + "\"decoder\": \"bahdanau\", \"attention\": \"local-m\"}", "local attention is for the luong decoder");
        assertMessage(base + "\"window\": 5}", "\"window\" is 5; it must be unset for global attention");
        assertMessage(base + "\"attention\": \"local-p\", \"window\": 0}", "\"window\" is 0; it must be a positive integer");
        assertMessage("{\"name\": \"x\", \"family\": \"seq2seq\", \"window\": 3}", "attention to use");
    }

    private static void assertMessage(String json, String part) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ModelCard.fromJson(json, "card.json"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
