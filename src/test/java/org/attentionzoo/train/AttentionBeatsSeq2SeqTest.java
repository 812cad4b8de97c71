package org.attentionzoo.train;

import org.attentionzoo.TinyModels;
import org.attentionzoo.data.ReverseTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.eval.ExactMatch;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.RnnAttention;
import org.attentionzoo.models.Seq2Seq;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.viz.Alignment;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Learning with a known answer: reversing sequences of 8-12 symbols, where one fixed context vector is a
 * bottleneck. At the same budget (steps, sizes, optimiser) the attention model must beat plain Seq2seq,
 * and its alignments must be proper distributions that point at the mirrored source position.
 */
class AttentionBeatsSeq2SeqTest {

    private static final ReverseTask TASK = new ReverseTask(10, 8, 12);
    private static final int STEPS = 500;

    @Test
    void attentionBeatsFixedContextOnLongerReversals() {
        List<SentencePair> train = TASK.generate(4000, 21);
        Set<String> seen = new HashSet<>();
        train.forEach(p -> seen.add(p.source()));
        List<SentencePair> test = TASK.generate(300, 22).stream().filter(p -> !seen.contains(p.source())).limit(100).toList();

        ModelCard seq2seq = Seq2Seq.builder().embeddingSize(16).hiddenSize(64).learningRate(0.005).build();
        ModelCard attention = RnnAttention.builder().encoder(ModelCard.Encoder.BILSTM).score("general")
                .embeddingSize(16).hiddenSize(64).learningRate(0.005).build();
        double emSeq2seq = exactMatch(seq2seq, train, test);
        TranslationModel attn = TinyModels.untrained(attention, TASK, train);
        double emAttention = exactMatch(attn, train, test);
        System.out.printf("reverse (10 symbols, length 8-12), %d steps: seq2seq %.1f%%, luong-general %.1f%%%n",
                STEPS, emSeq2seq, emAttention);
        assertTrue(emAttention > emSeq2seq + 20, "attention " + emAttention + "% vs seq2seq " + emSeq2seq + "%");

        Translation t = new Translator(attn).translate(test.get(0).source());
        Alignment a = t.alignment();
        assertEquals(t.tokens().size() + 1, a.rows(), "one row per output token plus EOS");
        assertEquals(TASK.sourceTokenizer().tokenize(test.get(0).source()).size(), a.columns());
        for (int r = 0; r < a.rows(); r++) {
            double sum = 0;
            for (int c = 0; c < a.columns(); c++) {
                sum += a.weight(r, c);
            }
            assertEquals(1.0, sum, 1e-4, "row " + r);
        }
        if (t.text().equals(test.get(0).target())) {
            int mirrored = 0;
            for (int r = 0; r < a.columns(); r++) {
                mirrored += a.mostAttendedSource(r) == a.columns() - 1 - r ? 1 : 0;
            }
            assertTrue(mirrored >= a.columns() / 2, "output token i attends to source token n-1-i in most rows: "
                    + mirrored + " of " + a.columns());
        }
    }

    private static double exactMatch(ModelCard card, List<SentencePair> train, List<SentencePair> test) {
        return exactMatch(TinyModels.untrained(card, TASK, train), train, test);
    }

    private static double exactMatch(TranslationModel model, List<SentencePair> train, List<SentencePair> test) {
        Trainer.builder().model(model).data(TrainingData.batches(model, train, 32, 30, 1)).maxSteps(STEPS).build().train();
        List<Translation> out = new Translator(model).translateAll(test.stream().map(SentencePair::source).toList());
        return ExactMatch.percent(out.stream().map(Translation::text).toList(), test.stream().map(SentencePair::target).toList());
    }
}
