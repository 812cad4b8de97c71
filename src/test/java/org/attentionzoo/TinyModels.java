package org.attentionzoo;

import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.Task;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.train.TrainingData;

import java.util.List;

/** Small seeded models and data shared by tests. */
public final class TinyModels {

    private TinyModels() {
    }

    /** An untrained model for the pairs of a task, vocabularies built from {@code pairs}. */
    public static TranslationModel untrained(ModelCard card, Task task, List<SentencePair> pairs) {
        return TranslationModel.create(card,
                TrainingData.sourceVocabulary(pairs, task.sourceTokenizer(), 1, 1000),
                TrainingData.targetVocabulary(pairs, task.targetTokenizer(), 1, 1000),
                task.sourceTokenizer(), task.targetTokenizer());
    }
}
