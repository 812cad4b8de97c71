package org.attentionzoo;

import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.Task;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.train.TrainingData;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

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

    /** The batch with every array (features, labels, masks) cast to double, for gradient checks. */
    public static MultiDataSet doubles(MultiDataSet b) {
        return new org.nd4j.linalg.dataset.MultiDataSet(doubles(b.getFeatures()), doubles(b.getLabels()),
                doubles(b.getFeaturesMaskArrays()), doubles(b.getLabelsMaskArrays()));
    }

    private static INDArray[] doubles(INDArray[] a) {
        if (a == null) {
            return null;
        }
        INDArray[] out = new INDArray[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] == null ? null : a[i].castTo(DataType.DOUBLE);
        }
        return out;
    }
}
