package org.attentionzoo.decode.incremental;

import org.attentionzoo.TinyModels;
import org.attentionzoo.data.ReverseTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.decode.BeamSearch;
import org.attentionzoo.decode.GraphStepModel;
import org.attentionzoo.decode.GreedyDecoder;
import org.attentionzoo.decode.Hypothesis;
import org.attentionzoo.decode.LengthLimit;
import org.attentionzoo.models.GraphNames;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.train.Trainer;
import org.attentionzoo.train.TrainingData;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.attentionzoo.decode.incremental.TransformerFixtures.card;
import static org.attentionzoo.decode.incremental.TransformerFixtures.graph;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Greedy decoding and beam search (beam 3, 3-best) give the same outputs with the incremental decoder as with
 * the graph re-run on every prefix, on float graphs as the zoo trains them: two random ones with strongly
 * perturbed weights (contrasted distributions, outputs of many lengths) and one transformer trained a few
 * steps on reversal.
 */
class TransformerStepsDecodingTest {

    /** Added to the output bias of EOS in the random models, so that some of their outputs end before the limit. */
    private static final double EOS_BONUS = 2.5;
    private static final int[][] SOURCES = TransformerFixtures.sources(new int[]{3, 7, 1, 5, 2, 6, 4, 7}, 21);

    @Test
    void randomModelsDecodeAlikeWithBothStepModels() {
        for (ModelCard card : List.of(card("post", "relu", "sinusoidal", 2, 2, 0.0), card("pre", "gelu", "learned", 1, 2, 0.1))) {
            ComputationGraph g = graph(card, DataType.FLOAT, 0.6, 11);
            INDArray outputBias = g.getLayer(GraphNames.OUTPUT).paramTable().get("b");
            outputBias.putScalar(Vocabulary.EOS_ID, outputBias.getDouble(Vocabulary.EOS_ID) + EOS_BONUS);
            assertSameDecoding(card, g, SOURCES, card.name());
        }
    }

    @Test
    void aTrainedModelDecodesAlikeWithBothStepModels() {
        ReverseTask task = new ReverseTask(6, 2, 5);
        List<SentencePair> pairs = task.generate(96, 3);
        ModelCard card = card("post", "relu", "sinusoidal", 1, 2, 0.1).toBuilder().learningRate(0.003).build();
        TranslationModel model = TinyModels.untrained(card, task, pairs);
        Trainer.builder().model(model).data(TrainingData.batches(model, pairs, 32, 20, 1)).maxSteps(8).build().train();
        int[][] sources = task.generate(8, 4).stream()
                .map(p -> model.sourceVocab().encode(model.sourceTokenizer().tokenize(p.source()))).toArray(int[][]::new);
        assertSameDecoding(model.card(), model.graph(), sources, "trained");
    }

    private static void assertSameDecoding(ModelCard card, ComputationGraph g, int[][] sources, String what) {
        GraphStepModel graphSteps = new GraphStepModel(g);
        IncrementalStepModel cached = new IncrementalStepModel(new TransformerSteps(card, g));
        LengthLimit limit = LengthLimit.DEFAULT;
        int[][] greedy = new GreedyDecoder(graphSteps, limit).decode(sources);
        assertArrayEquals(greedy, new GreedyDecoder(cached, limit).decode(sources), what + ": greedy");
        Set<Integer> lengths = Arrays.stream(greedy).map(o -> o.length).collect(Collectors.toSet());
        assertTrue(lengths.size() >= 2, what + ": outputs of several lengths, so rows leave the batch at different steps "
                + lengths);
        assertTrue(IntStream.range(0, sources.length).anyMatch(i -> greedy[i].length < limit.maxTargetLength(sources[i].length)),
                what + ": some outputs end with EOS");

        List<List<Hypothesis>> expected = new BeamSearch(graphSteps, 3, 3, 0.6, limit).search(sources);
        List<List<Hypothesis>> actual = new BeamSearch(cached, 3, 3, 0.6, limit).search(sources);
        double maxScoreDifference = 0;
        for (int i = 0; i < sources.length; i++) {
            assertEquals(expected.get(i).size(), actual.get(i).size(), what + ": sentence " + i);
            for (int k = 0; k < expected.get(i).size(); k++) {
                Hypothesis e = expected.get(i).get(k);
                Hypothesis a = actual.get(i).get(k);
                assertArrayEquals(e.tokens(), a.tokens(), what + ": sentence " + i + ", hypothesis " + k);
                assertEquals(e.logProb(), a.logProb(), 1e-4, what + ": sentence " + i + ", hypothesis " + k);
                maxScoreDifference = Math.max(maxScoreDifference, Math.abs(e.score() - a.score()));
            }
        }
        System.out.printf("TransformerSteps decoding, %s: greedy identical (output lengths %s), beam 3 identical"
                + " (max |Δ score| %.3g)%n", what, lengths, maxScoreDifference);
    }
}
