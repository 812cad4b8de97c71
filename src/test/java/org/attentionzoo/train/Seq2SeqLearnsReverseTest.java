package org.attentionzoo.train;

import org.attentionzoo.TinyModels;
import org.attentionzoo.data.ReverseTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.eval.ExactMatch;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.Seq2Seq;
import org.attentionzoo.models.TranslationModel;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Learning against a task with a known answer: plain Seq2seq reverses short random sequences. */
class Seq2SeqLearnsReverseTest {

    @Test
    void lstmSeq2SeqReversesHeldOutSequences() {
        ReverseTask task = new ReverseTask(8, 3, 5);
        List<SentencePair> train = task.generate(3000, 11);
        Set<String> seen = new HashSet<>();
        train.forEach(p -> seen.add(p.source()));
        List<SentencePair> test = task.generate(400, 12).stream().filter(p -> !seen.contains(p.source())).limit(100).toList();

        ModelCard card = Seq2Seq.builder().embeddingSize(32).hiddenSize(128).learningRate(0.005).build();
        TranslationModel model = TinyModels.untrained(card, task, train);
        long start = System.nanoTime();
        TrainingSummary s = Trainer.builder().model(model).data(TrainingData.batches(model, train, 32, 20, 1))
                .maxSteps(1500).build().train();
        List<Translation> out = new Translator(model).translateAll(test.stream().map(SentencePair::source).toList());
        double em = ExactMatch.percent(out.stream().map(Translation::text).toList(),
                test.stream().map(SentencePair::target).toList());
        System.out.printf("reverse (8 symbols, length 3-5): %.1f%% exact match on %d held-out after %d steps, %.1f s%n",
                em, test.size(), s.steps(), (System.nanoTime() - start) / 1e9);
        // Data seeds 11, 21 and 31 gave 94%, 97% and 98% here (float rounding order moves single examples; chance
        // is about 0%): the bar leaves that room.
        assertTrue(em >= 90.0, "exact match " + em + "% after " + s.steps() + " steps, loss " + s.lastLoss());
    }
}
