package org.attentionzoo.examples;

import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.Task;
import org.attentionzoo.data.Tasks;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.models.Zoo;
import org.attentionzoo.train.Trainer;
import org.attentionzoo.train.TrainingData;
import org.attentionzoo.train.TrainingSummary;

import java.util.List;
import java.util.Locale;

/** A small attention model trained quickly on the generated {@code dates} task, for the examples that need one. */
final class DatesModels {

    private DatesModels() {
    }

    /**
     * {@code cardName} (such as luong-general) at a size that learns dates in a minute or two on two cores
     * (embedding 64, hidden 128, Adam 0.003), trained on 30,000 generated dates for {@code minutes}.
     */
    static TranslationModel train(String cardName, double minutes) throws Exception {
        Task task = Tasks.forName("dates");
        List<SentencePair> train = task.generate(30_000, 1);
        ModelCard.Builder card = Zoo.card(cardName).toBuilder().name(cardName + "-dates")
                .embeddingSize(64).hiddenSize(128).dropout(0.0).learningRate(0.003);
        if (Zoo.card(cardName).family() == ModelCard.Family.ATTENTION) {
            card.attentionSize(64);
        }
        TranslationModel model = TranslationModel.create(card.build(),
                TrainingData.sourceVocabulary(train, task.sourceTokenizer(), 1, 10_000),
                TrainingData.targetVocabulary(train, task.targetTokenizer(), 1, 10_000),
                task.sourceTokenizer(), task.targetTokenizer());
        System.out.printf(Locale.ROOT, "Training %s on generated dates for %.1f minutes...%n", cardName, minutes);
        TrainingSummary s = Trainer.builder().model(model).data(TrainingData.batches(model, train, 64, 50, 1))
                .maxMinutes(minutes).build().train();
        System.out.printf(Locale.ROOT, "  %d steps in %.0f s, last loss %.3f per token%n", s.steps(), s.seconds(), s.lastLoss());
        return model;
    }
}
