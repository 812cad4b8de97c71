package org.attentionzoo.train;

import org.attentionzoo.TinyModels;
import org.attentionzoo.data.CopyTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.eval.ExactMatch;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.models.Zoo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The copy task of the Annotated Transformer (random sequences of length 10 over 10 symbols, copied):
 * the tiny Transformer must reach 100% exact match with greedy decoding.
 */
class TransformerLearnsCopyTest {

    @Test
    void tinyTransformerCopiesPerfectly() throws Exception {
        CopyTask task = CopyTask.annotatedTransformer();
        List<SentencePair> train = task.generate(4000, 31);
        List<SentencePair> test = task.generate(100, 32);
        ModelCard card = Zoo.card("transformer-tiny");
        TranslationModel model = TinyModels.untrained(card, task, train);
        long start = System.nanoTime();
        TrainingSummary s = Trainer.builder().model(model).data(TrainingData.batches(model, train, 32, 20, 1))
                .maxSteps(Long.getLong("steps", 400)).build().train();
        List<Translation> out = new Translator(model).translateAll(test.stream().map(SentencePair::source).toList());
        double em = ExactMatch.percent(out.stream().map(Translation::text).toList(),
                test.stream().map(SentencePair::target).toList());
        System.out.printf("copy (10 symbols, length 10): transformer-tiny %.1f%% exact match on %d after %d steps, %.1f s%n",
                em, test.size(), s.steps(), (System.nanoTime() - start) / 1e9);
        assertEquals(100.0, em, 0.0);
    }
}
