package org.attentionzoo.train;

import org.attentionzoo.TinyModels;
import org.attentionzoo.data.CopyTask;
import org.attentionzoo.data.ReverseTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.SymbolSequenceTask;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.eval.ExactMatch;
import org.attentionzoo.layers.attention.AttentionSpan;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.RnnAttention;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.viz.Alignment;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Luong's local attention through the ordinary trainer, decoder (cached steps) and alignments: local-p (window ± 3)
 * learns to reverse 8-12 symbols, where p_t must be predicted from the decoder state because the source position
 * to read moves against t (95% exact match on 100 held-out sequences after 300 steps, asserted at 80% or more);
 * local-m's alignments put no weight outside its window t ± D.
 */
class LocalAttentionLearnsTest {

    @Test
    void localMonotonicAlignmentsStayInTheWindow() {
        CopyTask task = new CopyTask(10, 8, 12);
        train = task.generate(200, 21);
        TranslationModel model = TinyModels.untrained(card(AttentionSpan.LOCAL_M, 2), task, train);
        Translation t = new Translator(model).translate(train.get(0).source());
        Alignment a = t.alignment();
        double inside = 0;
        for (int r = 0; r < a.rows(); r++) {
            for (int c = 0; c < a.columns(); c++) {
                if (Math.abs(c - r) > 2) {
                    assertEquals(0.0, a.weight(r, c), "output " + r + " cannot see source " + c);
                } else {
                    inside += a.weight(r, c);
                }
            }
        }
        assertEquals(Math.min(a.rows(), a.columns() + 2), inside, 1e-4,
                "each output row within reach of the source spends its whole weight inside its window");
    }

    @Test
    void localPredictiveReverses() {
        ReverseTask task = new ReverseTask(10, 8, 12);
        TranslationModel model = trained(card(AttentionSpan.LOCAL_P, 3), task, 300);
        double em = exactMatch(model, heldOut(task, model));
        System.out.printf("reverse (10 symbols, length 8-12), local-p D=3, 300 steps: %.1f%% exact match%n", em);
        assertTrue(em >= 80, "local-p reverse exact match " + em + "%");
    }

    private static ModelCard card(AttentionSpan span, int window) {
        return RnnAttention.builder().encoder(ModelCard.Encoder.BILSTM).score("general").attention(span).window(window)
                .embeddingSize(16).hiddenSize(64).learningRate(0.005).build();
    }

    private static List<SentencePair> train;

    private static TranslationModel trained(ModelCard card, SymbolSequenceTask task, int steps) {
        train = task.generate(4000, 21);
        TranslationModel model = TinyModels.untrained(card, task, train);
        Trainer.builder().model(model).data(TrainingData.batches(model, train, 32, 30, 1)).maxSteps(steps).build().train();
        return model;
    }

    private static List<SentencePair> heldOut(SymbolSequenceTask task, TranslationModel model) {
        Set<String> seen = new HashSet<>();
        train.forEach(p -> seen.add(p.source()));
        return task.generate(300, 22).stream().filter(p -> !seen.contains(p.source())).limit(100).toList();
    }

    private static double exactMatch(TranslationModel model, List<SentencePair> test) {
        List<Translation> out = new Translator(model).translateAll(test.stream().map(SentencePair::source).toList());
        return ExactMatch.percent(out.stream().map(Translation::text).toList(), test.stream().map(SentencePair::target).toList());
    }
}
