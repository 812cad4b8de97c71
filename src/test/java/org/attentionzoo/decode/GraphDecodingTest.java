package org.attentionzoo.decode;

import org.attentionzoo.decode.step.Batches;
import org.attentionzoo.decode.step.StepModel;
import org.attentionzoo.TinyModels;
import org.attentionzoo.data.ReverseTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.RnnAttention;
import org.attentionzoo.models.Seq2Seq;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.train.Trainer;
import org.attentionzoo.train.TrainingData;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decoding a real zoo graph: a tiny attention model trained 100 steps on reversal, half-learned, so its
 * outputs have many lengths and its distributions are far from one-hot. Its encoder is a one-directional
 * LSTM: with DL4J's built-in Bidirectional encoder a trained model's outputs change when the source is
 * right-padded (the backward direction reads the padding), so they could not be compared with unpadded
 * single-sentence graph calls.
 */
class GraphDecodingTest {

    private static final ReverseTask TASK = new ReverseTask(6, 2, 5);
    private static TranslationModel model;
    private static List<String> sources;
    private static int[][] sourceIds;

    @BeforeAll
    static void train() {
        List<SentencePair> pairs = TASK.generate(800, 3);
        ModelCard card = RnnAttention.builder().encoder(ModelCard.Encoder.LSTM).score("general")
                .embeddingSize(8).hiddenSize(16).learningRate(0.01).build();
        model = TinyModels.untrained(card, TASK, pairs);
        Trainer.builder().model(model).data(TrainingData.batches(model, pairs, 32, 20, 1)).maxSteps(100).build().train();
        sources = TASK.generate(24, 4).stream().map(SentencePair::source).toList();
        sourceIds = sources.stream().map(s -> model.sourceVocab().encode(model.sourceTokenizer().tokenize(s)))
                .toArray(int[][]::new);
    }

    /** The greedy decoder as it was before StepModel: the whole batch every step, argmax over the probabilities. */
    private static int[][] greedyOnTheGraph(ComputationGraph graph, int[][] sources, LengthLimit limit) {
        int mb = sources.length;
        INDArray[] source = Batches.padded(sources);
        int maxSteps = Arrays.stream(sources).mapToInt(s -> limit.maxTargetLength(s.length)).max().orElse(0);
        int[][] prefix = new int[mb][maxSteps + 1];
        int[] length = new int[mb];
        boolean[] done = new boolean[mb];
        for (int i = 0; i < mb; i++) {
            prefix[i][0] = Vocabulary.BOS_ID;
        }
        for (int t = 1; t <= maxSteps; t++) {
            INDArray targetIn = Nd4j.zeros(DataType.FLOAT, mb, 1, t);
            for (int i = 0; i < mb; i++) {
                for (int j = 0; j < t; j++) {
                    targetIn.putScalar(i, 0, j, prefix[i][j]);
                }
            }
            INDArray probs = graph.output(false, new INDArray[]{source[0], targetIn},
                    new INDArray[]{source[1], Nd4j.ones(DataType.FLOAT, mb, t)})[0];
            INDArray best = Nd4j.argMax(probs.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t - 1)), 1);
            for (int i = 0; i < mb; i++) {
                if (!done[i]) {
                    prefix[i][t] = best.getInt(i);
                    if (prefix[i][t] == Vocabulary.EOS_ID || t == limit.maxTargetLength(sources[i].length)) {
                        done[i] = true;
                        length[i] = prefix[i][t] == Vocabulary.EOS_ID ? t - 1 : t;
                    }
                }
            }
        }
        int[][] out = new int[mb][];
        for (int i = 0; i < mb; i++) {
            out[i] = Arrays.copyOfRange(prefix[i], 1, 1 + length[i]);
        }
        return out;
    }

    @Test
    void greedyDecoderGivesWhatTheWholeBatchGraphLoopGave() {
        LengthLimit limit = new LengthLimit(1.0, 2);
        int[][] expected = greedyOnTheGraph(model.graph(), sourceIds, limit);
        assertArrayEquals(expected, new GreedyDecoder(model.graph(), limit).decode(sourceIds));
        Set<Integer> lengths = new HashSet<>();
        Arrays.stream(expected).forEach(e -> lengths.add(e.length));
        assertTrue(lengths.size() >= 3, "outputs of several lengths, so sentences finish at different steps: " + lengths);
    }

    @Test
    void beamOfOneIsGreedyOnTheGraph() {
        int[][] greedy = new GreedyDecoder(model.graph(), LengthLimit.DEFAULT).decode(sourceIds);
        List<List<Hypothesis>> beam = new BeamSearch(new GraphStepModel(model.graph()), 1, 1, 0.6, LengthLimit.DEFAULT)
                .search(sourceIds);
        for (int i = 0; i < sourceIds.length; i++) {
            assertArrayEquals(greedy[i], beam.get(i).get(0).tokens(), sources.get(i));
        }
    }

    @Test
    void stepLogProbsAreTheLogOfTheGraphsLastOutputStep() {
        int[][] batch = {sourceIds[0], sourceIds[1], sourceIds[2]};
        int bos = Vocabulary.BOS_ID;
        int[] sentences = {2, 0, 2, 1};
        int[][] prefixes = {{bos}, {bos, 5, 6}, {bos, 4}, {bos, 7, 4, 5}};   // several lengths: padded in one call
        double[][] mixed;
        double[][] same;
        try (StepModel.Session session = new GraphStepModel(model.graph()).start(batch)) {
            mixed = session.logProbs(sentences, prefixes);
            same = session.logProbs(new int[]{1, 0}, new int[][]{{bos, 5, 6}, {bos, 5, 6}});
        }
        for (int i = 0; i < sentences.length; i++) {
            assertArrayEquals(direct(batch[sentences[i]], prefixes[i]), mixed[i], 1e-5, "row " + i);
        }
        assertArrayEquals(direct(batch[1], new int[]{bos, 5, 6}), same[0], 1e-5);
        assertArrayEquals(direct(batch[0], new int[]{bos, 5, 6}), same[1], 1e-5);
        assertArrayEquals(mixed[1], same[1], 1e-5, "same pair, same answer");
    }

    /** log output[0, ·, t − 1] of one unpadded sentence and prefix, straight from the graph. */
    private static double[] direct(int[] source, int[] prefix) {
        INDArray src = Nd4j.zeros(DataType.FLOAT, 1, 1, source.length);
        INDArray tgt = Nd4j.zeros(DataType.FLOAT, 1, 1, prefix.length);
        for (int j = 0; j < source.length; j++) {
            src.putScalar(0, 0, j, source[j]);
        }
        for (int j = 0; j < prefix.length; j++) {
            tgt.putScalar(0, 0, j, prefix[j]);
        }
        INDArray out = model.graph().output(false, new INDArray[]{src, tgt},
                new INDArray[]{Nd4j.ones(DataType.FLOAT, 1, source.length), Nd4j.ones(DataType.FLOAT, 1, prefix.length)})[0];
        double[] p = out.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(prefix.length - 1)).toDoubleVector();
        assertEquals(1.0, Arrays.stream(p).sum(), 1e-4, "a distribution");
        return Arrays.stream(p).map(Math::log).toArray();
    }

    @Test
    void translatorNBestListsStartWithTheTranslationAndCarryAlignments() {
        Translator greedy = new Translator(model);
        Translator beam = new Translator(model, Decoding.beam(4).alpha(0.6));
        int[][] greedyIds = new GreedyDecoder(model.graph(), LengthLimit.DEFAULT).decode(sourceIds);
        List<List<Hypothesis>> searched = new BeamSearch(new GraphStepModel(model.graph()), 4, 3, 0.6,
                LengthLimit.DEFAULT).search(sourceIds);
        List<List<Translation>> nBest = beam.translateAllNBest(sources, 3);
        for (int i = 0; i < 6; i++) {
            assertEquals(model.targetVocab().decode(greedyIds[i]), greedy.translate(sources.get(i)).tokens());
            List<Translation> list = nBest.get(i);
            assertEquals(searched.get(i).size(), list.size());
            assertSameTranslation(beam.translate(sources.get(i)), list.get(0));    // top-1 of the 3-best
            List<Translation> alone = beam.translateNBest(sources.get(i), 3);
            assertEquals(list.size(), alone.size());
            for (int k = 0; k < list.size(); k++) {
                assertSameTranslation(list.get(k), alone.get(k));                     // alone or in a batch
            }
            assertEquals(list.size(), list.stream().map(Translation::tokens).distinct().count(), "no duplicates");
            for (int k = 0; k < list.size(); k++) {
                Translation t = list.get(k);
                assertEquals(model.targetVocab().decode(searched.get(i).get(k).tokens()), t.tokens());
                assertEquals(t.tokens().size() + 1, t.alignment().rows(), "one row per output token plus EOS");
                assertEquals(model.sourceTokenizer().tokenize(sources.get(i)), t.alignment().sourceTokens());
            }
        }
        assertEquals(List.of(List.of(new Translation(" ", "", List.of(), null))), beam.translateAllNBest(List.of(" "), 2));
        assertThrows(IllegalArgumentException.class, () -> beam.translateNBest(sources.get(0), 5));
        assertThrows(IllegalArgumentException.class, () -> greedy.translateNBest(sources.get(0), 2));
    }

    /** Same text and tokens, alignments equal up to float noise (the batches around them differ). */
    private static void assertSameTranslation(Translation expected, Translation actual) {
        assertEquals(expected.source(), actual.source());
        assertEquals(expected.text(), actual.text());
        assertEquals(expected.tokens(), actual.tokens());
        assertEquals(expected.alignment().targetTokens(), actual.alignment().targetTokens());
        for (int r = 0; r < expected.alignment().rows(); r++) {
            assertArrayEquals(expected.alignment().weights()[r], actual.alignment().weights()[r], 1e-5);
        }
    }

    @Test
    void unkReplacementNeedsAttention() {
        TranslationModel plain = TinyModels.untrained(Seq2Seq.builder().embeddingSize(4).hiddenSize(4).build(),
                TASK, TASK.generate(20, 1));
        assertThrows(IllegalArgumentException.class, () -> new Translator(plain, Decoding.greedy().replaceUnk(true)));
        assertFalse(new Translator(model, Decoding.greedy().replaceUnk(true)).translate(sources.get(0)).tokens()
                .contains(Vocabulary.UNK), "no <unk> is left");
    }

    @Test
    void translatingManyChunksSideBySideKeepsTheOrderAndTheOutputs() {
        List<String> many = TASK.generate(150, 9).stream().map(SentencePair::source).toList();   // 3 chunks of <= 64
        int[][] ids = many.stream().map(s -> model.sourceVocab().encode(model.sourceTokenizer().tokenize(s)))
                .toArray(int[][]::new);
        int[][] expected = new GreedyDecoder(model.graph(), LengthLimit.DEFAULT).decode(ids);
        List<Translation> got = new Translator(model).translateAll(many);
        assertEquals(many.size(), got.size());
        for (int i = 0; i < many.size(); i++) {
            assertEquals(many.get(i), got.get(i).source(), "order kept");
            assertEquals(model.targetVocab().decode(expected[i]), got.get(i).tokens(), many.get(i));
        }
    }
}
