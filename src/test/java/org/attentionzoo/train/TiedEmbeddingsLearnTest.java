package org.attentionzoo.train;

import org.attentionzoo.data.CopyTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.eval.ExactMatch;
import org.attentionzoo.models.GraphNames;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.models.Zoo;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tied model learns: transformer-tiny with every embedding tied ({@code all}, one joint vocabulary) on the copy
 * task of the Annotated Transformer (10 symbols, length 10), trained on two cores, greedy decoding.
 */
class TiedEmbeddingsLearnTest {

    @Test
    void tiedTinyTransformerLearnsToCopy() throws Exception {
        ModelCard card = Zoo.card("transformer-tiny").toBuilder().tieEmbeddings(ModelCard.Tie.ALL).build();
        CopyTask task = CopyTask.annotatedTransformer();
        List<SentencePair> train = task.generate(4000, 31);
        List<SentencePair> test = task.generate(100, 32);
        Vocabulary joint = TrainingData.jointVocabulary(train, task.sourceTokenizer(), task.targetTokenizer(), 1, 1000);
        TranslationModel model = TranslationModel.create(card, joint, joint, task.sourceTokenizer(), task.targetTokenizer());
        long steps = Long.getLong("steps", 400);
        long start = System.nanoTime();
        Trainer.builder().model(model).data(TrainingData.batches(model, train, 32, 20, 1)).maxSteps(steps).workers(2)
                .build().train();
        List<Translation> out = new Translator(model).translateAll(test.stream().map(SentencePair::source).toList());
        double em = ExactMatch.percent(out.stream().map(Translation::text).toList(),
                test.stream().map(SentencePair::target).toList());
        System.out.printf("copy, transformer-tiny tied all: %.1f%% exact match on %d after %d steps, %.1f s%n",
                em, test.size(), steps, (System.nanoTime() - start) / 1e9);
        INDArray e = model.graph().getLayer(GraphNames.TARGET_EMBEDDING).getParam("W");
        assertEquals(e.transpose(), model.graph().getLayer(GraphNames.OUTPUT).getParam("W"), "still tied");
        assertEquals(e, model.graph().getLayer(GraphNames.SOURCE_EMBEDDING).getParam("W"), "still tied");
        assertTrue(em >= 95.0, "exact match " + em + "%");
    }
}
