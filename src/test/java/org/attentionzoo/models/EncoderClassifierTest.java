package org.attentionzoo.models;

import org.attentionzoo.data.ClassificationIterator;
import org.attentionzoo.data.EventHistoryTask;
import org.attentionzoo.data.LabeledSequence;
import org.attentionzoo.data.Vocabulary;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class EncoderClassifierTest {

    private static final ModelCard TINY = EncoderClassifier.builder().name("classifier-test").embeddingSize(16)
            .hiddenSize(16).heads(2).ffSize(32).encoderLayers(1).learningRate(0.005).build();

    @Test
    void shippedCardBuildsAndCountsItsParameters() throws Exception {
        ModelCard card = Zoo.card("transformer-encoder-classifier");
        assertEquals(ModelCard.Family.CLASSIFIER, card.family());
        ComputationGraph graph = EncoderClassifier.init(card, 17, 3);
        long perLayer = 4 * 64 * 64 + (64 * 128 + 128) + (128 * 64 + 64) + 2 * 2 * 64;
        assertEquals(17 * 64 + 2 * perLayer + (64 * 3 + 3), Zoo.parameterCount(graph));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Zoo.init(card, 17, 17));
        assertTrue(e.getMessage().contains("EncoderClassifier.init"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EncoderClassifier.init(Zoo.card("transformer-tiny"), 17, 3));
        assertThrows(IllegalArgumentException.class, () -> EncoderClassifier.builder().labelSmoothing(0.1).build());
    }

    @Test
    void paddingDoesNotChangeAPrediction() {
        ComputationGraph graph = EncoderClassifier.init(TINY, 20, 3);
        INDArray alone = Nd4j.createFromArray(new float[]{5, 9, 7, 11, 6}).reshape(1, 1, 5);
        INDArray aloneMask = Nd4j.ones(DataType.FLOAT, 1, 5);
        INDArray p = EncoderClassifier.probabilities(graph, alone, aloneMask);

        // The same sentence padded to 12 steps, next to a longer one; the padding holds arbitrary ids.
        INDArray batch = Nd4j.createFromArray(new float[]{5, 9, 7, 11, 6, 13, 13, 4, 19, 8, 8, 2,
                4, 4, 12, 15, 16, 17, 5, 5, 9, 9, 10, 18}).reshape(2, 1, 12);
        INDArray mask = Nd4j.zeros(DataType.FLOAT, 2, 12);
        mask.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5)).assign(1);
        mask.getRow(1).assign(1);
        INDArray padded = EncoderClassifier.probabilities(graph, batch, mask);

        assertArrayEquals(p.getRow(0).toFloatVector(), padded.getRow(0).toFloatVector(), 1e-5f);
        assertEquals(1.0, padded.getRow(0).sumNumber().doubleValue(), 1e-5);
        // ... while the padding would change it if it were not masked (the test can tell).
        INDArray unmasked = EncoderClassifier.probabilities(graph, batch, Nd4j.ones(DataType.FLOAT, 2, 12));
        assertTrue(Math.abs(unmasked.getFloat(0, 0) - p.getFloat(0, 0)) > 1e-4, "unmasked padding changes nothing?");
    }

    @Test
    void tinyClassifierLearnsEventHistoriesBeyondTheMajorityBaseline() {
        EventHistoryTask task = new EventHistoryTask(5, 20);
        List<LabeledSequence> train = task.generate(3000, 11);
        List<LabeledSequence> test = task.generate(600, 12);
        Vocabulary vocab = Vocabulary.of(EventHistoryTask.EVENTS);
        ComputationGraph graph = EncoderClassifier.init(TINY, vocab.size(), EventHistoryTask.LABELS.size());
        ClassificationIterator batches = new ClassificationIterator(train, vocab, EventHistoryTask.LABELS, 32, true, 1);
        long start = System.nanoTime();
        int steps = 0;
        while (steps < Integer.getInteger("steps", 250)) {
            if (!batches.hasNext()) {
                batches.reset();
            }
            graph.fit(batches.next());
            steps++;
        }
        ClassificationIterator held = new ClassificationIterator(test, vocab, EventHistoryTask.LABELS, 200, false, 0);
        double accuracy = graph.evaluate(held).accuracy();
        held.reset();
        System.out.printf("event histories: accuracy %.3f (majority %.3f) after %d steps, %.1f s%n", accuracy,
                held.majorityFraction(), steps, (System.nanoTime() - start) / 1e9);
        assertTrue(accuracy > held.majorityFraction() + 0.25, "accuracy " + accuracy);
    }
}
