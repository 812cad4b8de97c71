package org.attentionzoo.io;

import org.attentionzoo.TinyModels;
import org.attentionzoo.data.ReverseTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.layers.attention.AttentionSpan;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.models.Zoo;
import org.attentionzoo.train.Trainer;
import org.attentionzoo.train.TrainingData;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every shipped card, shrunk to a tiny size, goes through the same code paths: training steps, greedy
 * translation with its alignment (for attention models), save, load, identical translations.
 */
class EveryCardTrainsDecodesAndSavesTest {

    private static final ReverseTask TASK = new ReverseTask(6, 2, 5);

    @TempDir
    Path dir;

    static List<String> cards() {
        return Zoo.CARDS;
    }

    @ParameterizedTest
    @MethodSource("cards")
    void trainsTranslatesSavesAndLoads(String name) throws Exception {
        ModelCard shipped = Zoo.card(name);
        ModelCard.Builder tiny = shipped.toBuilder().embeddingSize(8).hiddenSize(12).dropout(0.1);
        switch (shipped.family()) {
            case ATTENTION -> tiny.attentionSize(6);
            case TRANSFORMER -> tiny.embeddingSize(12).heads(2).ffSize(16).encoderLayers(2).decoderLayers(2);
            default -> { }
        }
        ModelCard card = tiny.build();
        List<SentencePair> pairs = TASK.generate(96, 5);
        TranslationModel model = TinyModels.untrained(card, TASK, pairs);
        var s = Trainer.builder().model(model).data(TrainingData.batches(model, pairs, 32, 20, 1)).maxSteps(6).build().train();
        assertTrue(Double.isFinite(s.lastLoss()), "finite loss");

        List<String> sources = List.of("1 2 3", "4 5 6 1 2", "3");
        List<Translation> before = new Translator(model).translateAll(sources);
        for (Translation t : before) {
            if (card.family() == ModelCard.Family.SEQ2SEQ) {
                assertNull(t.alignment());
                continue;
            }
            assertNotNull(t.alignment(), name);
            assertEquals(t.tokens().size() + 1, t.alignment().rows());
            for (int r = 0; r < t.alignment().rows(); r++) {
                double sum = 0;
                for (int c = 0; c < t.alignment().columns(); c++) {
                    sum += t.alignment().weight(r, c);
                }
                if (card.attention() == AttentionSpan.GLOBAL) {
                    assertEquals(1.0, sum, 1e-4, name + " row " + r);
                } else {                       // local: the window may miss the source; local-p's Gaussian takes a share
                    assertTrue(sum >= 0 && sum <= 1 + 1e-4, name + " row " + r + " sums to " + sum);
                }
            }
        }
        Path file = dir.resolve(name + ".zip");
        ModelArchive.save(model, file);
        List<Translation> after = new Translator(ModelArchive.load(file)).translateAll(sources);
        for (int i = 0; i < sources.size(); i++) {
            assertEquals(before.get(i).tokens(), after.get(i).tokens(), name + ": " + sources.get(i));
        }
    }
}
