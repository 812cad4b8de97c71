package org.attentionzoo.train;

import org.attentionzoo.TinyModels;
import org.attentionzoo.data.ReverseTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.TeacherForcingIterator;
import org.attentionzoo.layers.KeptBiLSTM;
import org.attentionzoo.models.GraphNames;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.RnnAttention;
import org.attentionzoo.models.Transformer;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.util.NativeMemory;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training an attention model whose encoder is the SameDiff {@code BiLSTM} keeps native memory flat: its training
 * step runs {@link KeptBiLSTM}'s hand-written passes, not SameDiff's {@code calculateGradients} (whose fused
 * {@code lstmLayer} ops grew resident memory with every step in M2.1). Resident memory, after a collection and
 * {@code malloc_trim} ({@link NativeMemory#collect}) and less the Java heap's committed size, is measured after 100
 * warm-up steps on batches of ragged lengths, then every 50 steps; the least of the last three may exceed the
 * first by less than {@value #MAX_GROWTH_PER_STEP} bytes per step. Training the same model through the SameDiff
 * graph grew it by megabytes per step.
 */
class BiLstmNativeMemoryTest {

    private static final int WARM_UP = 100;
    private static final int STEPS = 300;
    private static final long MAX_GROWTH_PER_STEP = 100_000;

    @Test
    void residentMemoryStaysFlatOverTrainingSteps() {
        ModelCard card = RnnAttention.builder().encoder(ModelCard.Encoder.BILSTM).score("general")
                .embeddingSize(32).hiddenSize(64).attentionSize(64).build();
        TranslationModel model = TinyModels.untrained(card, TASK, PAIRS);
        assertInstanceOf(KeptBiLSTM.class, model.graph().getLayer(GraphNames.encoderLayer(0)));
        assertFlat("BiLSTM attention model", model);
    }

    @Test
    void transformerResidentMemoryStaysFlatOverTrainingSteps() {
        ModelCard card = Transformer.builder().embeddingSize(32).hiddenSize(32).heads(2).ffSize(64).encoderLayers(1)
                .decoderLayers(1).build();
        assertFlat("Transformer", TinyModels.untrained(card, TASK, PAIRS));
    }

    private static final ReverseTask TASK = new ReverseTask(10, 4, 12);
    private static final List<SentencePair> PAIRS = TASK.generate(2000, 31);

    private static void assertFlat(String what, TranslationModel model) {
        ComputationGraph graph = model.graph();
        TeacherForcingIterator batches = TrainingData.batches(model, PAIRS, 32, 30, 1);

        train(graph, batches, WARM_UP);
        long before = offHeap();
        long after = Long.MAX_VALUE;
        StringBuilder seen = new StringBuilder();
        for (int done = 0; done < STEPS; done += STEPS / 6) {
            train(graph, batches, STEPS / 6);
            long now = offHeap();
            seen.append(String.format(" %.1f", now / 1e6));
            if (done >= STEPS / 2) {
                after = Math.min(after, now);                      // the least of the last three: spikes are not leaks
            }
        }
        double perStep = (after - before) / (double) STEPS;
        System.out.printf(what + ": resident memory off the heap %.1f MB after %d steps, then every %d"
                + " steps:%s MB (%.0f bytes/step)%n", before / 1e6, WARM_UP, STEPS / 6, seen, perStep);
        assertTrue(perStep < MAX_GROWTH_PER_STEP, "resident memory grew by " + (long) perStep + " bytes per step:"
                + seen + " MB");
    }

    /** Resident bytes less the Java heap's committed bytes, after a collection and malloc_trim. */
    private static long offHeap() {
        long resident = NativeMemory.collect();
        return resident - Runtime.getRuntime().totalMemory();
    }

    private static void train(ComputationGraph graph, TeacherForcingIterator batches, int steps) {
        for (int i = 0; i < steps; i++) {
            if (!batches.hasNext()) {
                batches.reset();
            }
            graph.fit(batches.next());
        }
    }
}
