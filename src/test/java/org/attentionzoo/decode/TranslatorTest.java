package org.attentionzoo.decode;

import org.attentionzoo.decode.step.StepModel;
import org.attentionzoo.TinyModels;
import org.attentionzoo.data.ReverseTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.models.Zoo;
import org.attentionzoo.viz.Alignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Translator} on tiny untrained models of the shipped cards: alignments on demand equal those computed
 * with the batch, scores are the search's, one instance serves many threads, long sources are refused.
 */
class TranslatorTest {

    private static final ReverseTask TASK = new ReverseTask(6, 2, 5);
    private static final List<String> SOURCES = List.of("1 2 3", "4 5 6 1 2", "3", "", "6 5 4 3 2 1 2 3", "2 2");

    /** A shipped card at a tiny size, untrained (seeded, so its outputs are fixed and of many lengths). */
    static TranslationModel tiny(String name) {
        ModelCard shipped;
        try {
            shipped = Zoo.card(name);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ModelCard.Builder tiny = shipped.toBuilder().embeddingSize(8).hiddenSize(12);
        switch (shipped.family()) {
            case ATTENTION -> tiny.attentionSize(6);
            case TRANSFORMER -> tiny.embeddingSize(12).heads(2).ffSize(16).encoderLayers(2).decoderLayers(2);
            default -> { }
        }
        List<SentencePair> pairs = TASK.generate(96, 5);
        return TinyModels.untrained(tiny.build(), TASK, pairs);
    }

    @ParameterizedTest
    @ValueSource(strings = {"luong-dot", "luong-general", "luong-concat", "luong-general-feed", "bahdanau", "transformer-small"})
    void alignmentsOnDemandEqualTheBatchPass(String card) {
        TranslationModel model = tiny(card);
        for (Decoding decoding : List.of(Decoding.greedy(), Decoding.beam(3))) {
            List<List<Translation>> lazy = new Translator(model, decoding).translateAllNBest(SOURCES, decoding.beamSize());
            List<List<Translation>> eager = new Translator(model, decoding.alignments(true))
                    .translateAllNBest(SOURCES, decoding.beamSize());
            assertEquals(eager, lazy, card + ": same translations and scores");
            for (int i = 0; i < SOURCES.size(); i++) {
                for (int k = 0; k < eager.get(i).size(); k++) {
                    Alignment expected = eager.get(i).get(k).alignment();
                    Alignment actual = lazy.get(i).get(k).alignment();
                    if (SOURCES.get(i).isEmpty()) {
                        assertNull(actual);
                        continue;
                    }
                    assertNotNull(actual, card);
                    assertEquals(expected.targetTokens(), actual.targetTokens());
                    assertEquals(lazy.get(i).get(k).tokens().size() + 1, actual.rows(), "output tokens and EOS");
                    for (int r = 0; r < expected.rows(); r++) {
                        assertArrayEquals(expected.weights()[r], actual.weights()[r], 1e-6, card + " " + SOURCES.get(i));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"luong-dot", "luong-general", "luong-concat", "luong-general-feed", "bahdanau"})
    void theAttentionTheSearchKeptIsTheTeacherForcedPasss(String card) {
        TranslationModel model = tiny(card);
        List<SentencePair> pairs = TASK.generate(256, 7);       // trained a little, so that some outputs end in EOS
        org.attentionzoo.train.Trainer.builder().model(model)
                .data(org.attentionzoo.train.TrainingData.batches(model, pairs, 32, 20, 1)).maxSteps(40).build().train();
        int[][] ids = SOURCES.stream().filter(s -> !s.isEmpty())
                .map(s -> model.sourceVocab().encode(model.sourceTokenizer().tokenize(s))).toArray(int[][]::new);
        StepModel steps = StepModels.of(model.card(), model.graph());
        List<Hypothesis> hypotheses = new ArrayList<>();
        List<int[]> sourcesOf = new ArrayList<>();
        Hypothesis[] greedy = new GreedyDecoder(steps, LengthLimit.DEFAULT).decodeScored(ids, 0.6);
        List<List<Hypothesis>> beam = new BeamSearch(steps, 6, 6, 0.0, LengthLimit.DEFAULT).search(ids);   // α 0: short ones too
        for (int i = 0; i < ids.length; i++) {
            hypotheses.add(greedy[i]);
            sourcesOf.add(ids[i]);
            for (Hypothesis h : beam.get(i)) {
                hypotheses.add(h);
                sourcesOf.add(ids[i]);
            }
        }
        int tSrc = java.util.Arrays.stream(ids).mapToInt(x -> x.length).max().orElseThrow();
        int withEos = 0;
        for (int k = 0; k < hypotheses.size(); k++) {
            Hypothesis h = hypotheses.get(k);
            int[] x = sourcesOf.get(k);
            assertNotNull(h.attention(), card + ": the cached decoder reports its attention");
            boolean cut = h.tokens().length == LengthLimit.DEFAULT.maxTargetLength(x.length);
            assertEquals(cut ? h.tokens().length : h.tokens().length + 1, h.attention().length, "a row per step");
            withEos += cut ? 0 : 1;
            org.nd4j.linalg.api.ndarray.INDArray pass = Alignments.weights(model.graph(), model.alignmentVertex(),
                    new int[][]{x}, new int[][]{h.tokens()});                                   // [1, |Y| + 1, |x|]
            for (int t = 0; t < h.attention().length; t++) {
                assertEquals(tSrc, h.attention()[t].length);
                for (int s = 0; s < tSrc; s++) {
                    double expected = s < x.length ? pass.getDouble(0, t, s) : 0.0;
                    assertEquals(expected, h.attention()[t][s], 1e-6, card + " hypothesis " + k + " step " + t + " source " + s);
                }
            }
        }
        assertTrue(withEos > 0, card + ": some hypotheses end in EOS, so EOS rows are compared too");
    }

    @Test
    void seq2seqHasNoAlignment() {
        Translation t = new Translator(tiny("seq2seq-lstm")).translate("1 2 3");
        assertNull(t.alignment());
    }

    @ParameterizedTest
    @ValueSource(strings = {"luong-general", "transformer-small"})
    void greedyScoresAreBeamSizeOnesAndTheModelsLogProbability(String card) {
        TranslationModel model = tiny(card);
        int[][] ids = SOURCES.stream().filter(s -> !s.isEmpty())
                .map(s -> model.sourceVocab().encode(model.sourceTokenizer().tokenize(s))).toArray(int[][]::new);
        StepModel steps = StepModels.of(model.card(), model.graph());
        Hypothesis[] greedy = new GreedyDecoder(steps, LengthLimit.DEFAULT).decodeScored(ids, 0.6);
        List<List<Hypothesis>> beam1 = new BeamSearch(steps, 1, 1, 0.6, LengthLimit.DEFAULT).search(ids);
        int[][] plain = new GreedyDecoder(steps, LengthLimit.DEFAULT).decode(ids);
        StepModel graph = new GraphStepModel(model.graph());
        for (int i = 0; i < ids.length; i++) {
            assertEquals(beam1.get(i).get(0), greedy[i], card + " sentence " + i);
            assertArrayEquals(plain[i], greedy[i].tokens(), "the same outputs as unscored greedy decoding");
            // log P(Y | x) by hand: the whole graph's log-probabilities of each token and EOS after its prefix
            int[] y = greedy[i].tokens();
            boolean cut = y.length == LengthLimit.DEFAULT.maxTargetLength(ids[i].length);
            double sum = 0;
            try (StepModel.Session s = graph.start(new int[][]{ids[i]})) {
                int[] prefix = {Vocabulary.BOS_ID};
                for (int t = 0; t <= y.length; t++) {
                    if (t == y.length && cut) {
                        break;
                    }
                    int next = t < y.length ? y[t] : Vocabulary.EOS_ID;
                    sum += s.logProbs(new int[]{0}, new int[][]{prefix})[0][next];
                    prefix = java.util.Arrays.copyOf(prefix, prefix.length + 1);
                    prefix[prefix.length - 1] = next;
                }
            }
            assertEquals(sum, greedy[i].logProb(), 1e-4, card + " sentence " + i);
            int steps1 = cut ? y.length : y.length + 1;
            assertEquals(sum / Math.pow((5.0 + steps1) / 6.0, 0.6), greedy[i].score(), 1e-4);
        }
    }

    @Test
    void translationsCarryTheSearchScores() {
        TranslationModel model = tiny("luong-general");
        List<Translation> nBest = new Translator(model, Decoding.beam(4)).translateNBest("4 5 6 1 2", 3);
        int[] ids = model.sourceVocab().encode(model.sourceTokenizer().tokenize("4 5 6 1 2"));
        List<Hypothesis> expected = new BeamSearch(StepModels.of(model.card(), model.graph()), 4, 3, BeamSearch.DEFAULT_ALPHA,
                LengthLimit.DEFAULT).search(new int[][]{ids}).get(0);
        assertEquals(expected.size(), nBest.size());
        for (int k = 0; k < expected.size(); k++) {
            assertEquals(expected.get(k).logProb(), nBest.get(k).logProb());
            assertEquals(expected.get(k).score(), nBest.get(k).score());
            assertEquals(model.targetVocab().decode(expected.get(k).tokens()), nBest.get(k).tokens());
        }
        assertTrue(nBest.get(0).score() >= nBest.get(1).score(), "ranked by score");
        Translation empty = new Translator(model).translate(" ");
        assertEquals(0.0, empty.logProb());
        assertEquals(0.0, empty.score());
    }

    @Test
    void pharaohAlignmentIsEachOutputTokensMostAttendedSource() {
        Alignment a = new Alignment(List.of("a", "b", "c"), List.of("x", "y", "z", Vocabulary.EOS), new double[][]{
                {0.1, 0.7, 0.2}, {0.6, 0.3, 0.1}, {0.4, 0.2, 0.4}, {0.0, 0.0, 1.0}});
        Translation t = new Translation("a b c", "x y z", List.of("x", "y", "z"), a);
        assertEquals("1-0 0-1 0-2", t.pharaohAlignment(), "EOS left out; ties to the first source token");
        assertEquals("", new Translation("", "", List.of(), null).pharaohAlignment());
        assertThrows(IllegalStateException.class, () -> new Translation("a", "x", List.of("x"), null).pharaohAlignment());
    }

    @ParameterizedTest
    @ValueSource(strings = {"seq2seq-lstm", "luong-general", "bahdanau", "transformer-small"})
    void eightThreadsOnOneInstanceGetTheSingleThreadedOutputs(String card) throws Exception {
        TranslationModel model = tiny(card);
        List<String> sources = TASK.generate(40, 9).stream().map(SentencePair::source).toList();
        for (Decoding decoding : List.of(Decoding.greedy().alignments(true), Decoding.beam(3))) {
            int n = decoding.beamSize();
            Translator single = new Translator(model, decoding);
            List<List<Translation>> alone = single.translateAllNBest(sources, n);
            List<List<List<Translation>>> slices = new ArrayList<>();       // a batch's size changes float rounding
            for (int thread = 0; thread < 8; thread++) {
                slices.add(single.translateAllNBest(sources.subList(thread * 5, thread * 5 + 5), n));
            }
            Translator shared = new Translator(model, decoding);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<List<List<Translation>>>> runs = new ArrayList<>();
                for (int thread = 0; thread < 8; thread++) {
                    int from = thread * 5;                  // each thread its own slice, and the whole list, twice
                    Callable<List<List<Translation>>> run = () -> {
                        List<List<Translation>> mine = new ArrayList<>(shared.translateAllNBest(sources.subList(from, from + 5), n));
                        mine.addAll(shared.translateAllNBest(sources, n));
                        return mine;
                    };
                    runs.add(pool.submit(run));
                }
                for (int thread = 0; thread < 8; thread++) {
                    List<List<Translation>> got = runs.get(thread).get();
                    assertEquals(slices.get(thread), got.subList(0, 5), card + " thread " + thread);
                    assertEquals(alone, got.subList(5, got.size()), card + " thread " + thread);
                    if (decoding.alignments() && model.alignmentVertex() != null) {
                        for (int i = 0; i < 5; i++) {
                            assertEquals(slices.get(thread).get(i).get(0).alignment(), got.get(i).get(0).alignment());
                        }
                    }
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"luong-general", "transformer-small"})
    void sourcesDecodedInLengthSortedBatchesComeBackInOrderAsEachAlone(String card) {
        TranslationModel model = tiny(card);
        // 150 sources of mixed lengths (and empty ones): sorted by length, they form batches unlike the input's
        List<String> sources = new ArrayList<>(TASK.generate(140, 17).stream().map(SentencePair::source).toList());
        for (int i = 0; i < 10; i++) {
            sources.add(i * 13 % sources.size(), i % 2 == 0 ? "" : "1");
        }
        for (Decoding decoding : List.of(Decoding.greedy(), Decoding.beam(3))) {
            Translator translator = new Translator(model, decoding);
            int n = decoding.beamSize() > 1 ? 2 : 1;
            List<List<Translation>> all = translator.translateAllNBest(sources, n);
            assertEquals(sources.size(), all.size());
            for (int i = 0; i < sources.size(); i++) {
                List<Translation> alone = translator.translateAllNBest(List.of(sources.get(i)), n).get(0);
                assertEquals(sources.get(i), all.get(i).get(0).source(), card + " line " + i);
                assertEquals(alone.size(), all.get(i).size(), card + " line " + i);
                for (int h = 0; h < alone.size(); h++) {
                    assertEquals(alone.get(h).text(), all.get(i).get(h).text(), card + " line " + i);
                    assertEquals(alone.get(h).logProb(), all.get(i).get(h).logProb(), 1e-4, card + " line " + i);
                }
            }
        }
    }

    @Test
    void sourcesOverTheLengthLimitAreRefusedWithTheirPosition() {
        TranslationModel model = tiny("luong-general");
        Translator limited = new Translator(model, Decoding.greedy().maxSourceLength(3));
        assertEquals(3, limited.translateAll(List.of("1 2 3", "4", "")).size(), "up to the limit is fine");
        Translator.SourceTooLongException e = assertThrows(Translator.SourceTooLongException.class,
                () -> limited.translateAll(List.of("1 2", "1 2 3 4")));
        assertEquals(1, e.index());
        assertTrue(e.getMessage().contains("4 tokens") && e.getMessage().contains("limit of 3"), e.getMessage());
    }
}
