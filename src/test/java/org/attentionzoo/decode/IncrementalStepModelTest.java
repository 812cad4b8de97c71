package org.attentionzoo.decode;

import org.attentionzoo.decode.step.StepModel;
import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.decode.incremental.IncrementalDecoder;
import org.attentionzoo.decode.incremental.IncrementalStepModel;
import org.attentionzoo.decode.incremental.RowState;
import org.attentionzoo.decode.incremental.StepOutput;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The prefix cache of {@link IncrementalStepModel}, against a hand-made decoder whose "state" is a handle to
 * the prefix it has consumed: the answers must equal {@link TableStepModel}'s for the same (source, prefix),
 * which they only do if every step continues from the right parent row.
 */
class IncrementalStepModelTest {

    private static final int[][] SOURCES = {{4, 5, 4}, {5}, {4, 4, 5, 5, 4}};
    private static final LengthLimit LIMIT = new LengthLimit(1.0, 3);

    /** A decoder whose state row holds an index into a list of consumed prefixes; counts the rows it steps. */
    private static final class PrefixDecoder implements IncrementalDecoder {
        final TableStepModel table;
        final List<int[]> prefixes = new ArrayList<>();
        int steppedRows;
        int[][] sources;

        PrefixDecoder(TableStepModel table) {
            this.table = table;
        }

        @Override
        public RowState encode(int[][] sources) {
            this.sources = sources;
            return RowState.builder(sources.length).put("length",
                    Nd4j.createFromArray(Arrays.stream(sources).mapToDouble(s -> s.length).toArray())).build();
        }

        @Override
        public RowState initialState(RowState encoded, int[] sentences) {
            prefixes.add(new int[0]);
            return handles(new double[sentences.length], prefixes.size() - 1);
        }

        @Override
        public StepOutput step(RowState encoded, int[] sentences, RowState state, int[] tokens) {
            steppedRows += tokens.length;
            double[] handles = state.get("prefix").toDoubleVector();
            double[][] logProbs = new double[tokens.length][];
            double[] next = new double[tokens.length];
            for (int i = 0; i < tokens.length; i++) {
                int[] consumed = prefixes.get((int) handles[i]);
                int[] extended = Arrays.copyOf(consumed, consumed.length + 1);
                extended[consumed.length] = tokens[i];
                prefixes.add(extended);
                next[i] = prefixes.size() - 1;
                logProbs[i] = table.logProbs(sources[sentences[i]], extended);
            }
            return new StepOutput(Nd4j.createFromArray(logProbs), RowState.builder(tokens.length)
                    .put("prefix", Nd4j.createFromArray(next).reshape(tokens.length, 1)).build());
        }

        private RowState handles(double[] rows, int handle) {
            Arrays.fill(rows, handle);
            return RowState.builder(rows.length).put("prefix", Nd4j.createFromArray(rows).reshape(rows.length, 1)).build();
        }
    }

    @Test
    void greedyAndBeamSearchAgreeWithTheDirectModelAndStepEachRowOnce() {
        for (long seed = 1; seed <= 5; seed++) {
            TableStepModel direct = TableStepModel.random(seed);
            PrefixDecoder decoder = new PrefixDecoder(direct);
            IncrementalStepModel cached = new IncrementalStepModel(decoder);

            assertArrayEquals(new GreedyDecoder(direct, LIMIT).decode(SOURCES),
                    new GreedyDecoder(cached, LIMIT).decode(SOURCES), "greedy, seed " + seed);
            assertEquals(direct.rows, decoder.steppedRows, "one decoder step per row asked, seed " + seed);

            for (int beam : new int[]{2, 4}) {
                int rowsBefore = direct.rows;
                decoder.steppedRows = 0;
                assertEquals(new BeamSearch(direct, beam, beam, 0.6, LIMIT).search(SOURCES),
                        new BeamSearch(cached, beam, beam, 0.6, LIMIT).search(SOURCES), "beam " + beam + ", seed " + seed);
                assertEquals(direct.rows - rowsBefore, decoder.steppedRows, "beam " + beam + ": no prefix replayed");
            }
        }
    }

    @Test
    void aPrefixWhoseParentWasNotAskedIsRebuiltFromBos() {
        TableStepModel direct = TableStepModel.random(7);
        PrefixDecoder decoder = new PrefixDecoder(direct);
        int bos = Vocabulary.BOS_ID;
        int[][] prefixes = {{bos, 4, 5, 5}, {bos}, {bos, 5}};
        int[] sentences = {2, 0, 2};
        try (StepModel.Session session = new IncrementalStepModel(decoder).start(SOURCES)) {
            double[][] got = session.logProbs(sentences, prefixes);
            for (int i = 0; i < prefixes.length; i++) {
                assertArrayEquals(direct.logProbs(SOURCES[sentences[i]], prefixes[i]), got[i], 0.0, "row " + i);
            }
            // sentence 2: BOS, 4, 5 rebuilt for row 0 (3 steps) and its own step; [BOS] reused by row 2 (1 step);
            // sentence 0: one step from the initial state
            assertEquals(4 + 1 + 1, decoder.steppedRows, "each missing prefix rebuilt once, token by token");
            // asked again, in another order and mixed with extensions: served from the cache where possible
            decoder.steppedRows = 0;
            int[][] again = {{bos, 5, 4}, {bos, 4, 5, 5, 6}};
            double[][] second = session.logProbs(new int[]{2, 2}, again);
            assertArrayEquals(direct.logProbs(SOURCES[2], again[0]), second[0], 0.0);
            assertArrayEquals(direct.logProbs(SOURCES[2], again[1]), second[1], 0.0);
            assertEquals(2, decoder.steppedRows, "both parents were cached by the previous call");
        }
    }

    @Test
    void anEmptyBatchEncodesNothingAndAnswersNothing() {
        PrefixDecoder decoder = new PrefixDecoder(TableStepModel.random(3));
        try (StepModel.Session session = new IncrementalStepModel(decoder).start(new int[0][])) {
            assertEquals(0, session.logProbs(new int[0], new int[0][]).length);
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> session.logProbs(new int[]{0}, new int[][]{{Vocabulary.BOS_ID}}));
        }
        assertEquals(null, decoder.sources, "the encoder did not run");
        assertArrayEquals(new int[0][], new GreedyDecoder(new IncrementalStepModel(decoder), LIMIT).decode(new int[0][]));
    }

    @Test
    void rowStateSelectGathersRowsOfEveryTensor() {
        INDArray a = Nd4j.arange(24).castTo(DataType.FLOAT).reshape(4, 2, 3);
        INDArray b = Nd4j.arange(4).castTo(DataType.DOUBLE).reshape(4, 1);
        RowState s = RowState.builder(4).put("a", a).put("b", b).build();
        RowState picked = s.select(new int[]{3, 0, 3});
        assertEquals(3, picked.rows());
        assertEquals(a.get(org.nd4j.linalg.indexing.NDArrayIndex.point(3)), picked.get("a").get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)));
        assertEquals(a.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)), picked.get("a").get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)));
        assertArrayEquals(new double[]{3, 0, 3}, picked.get("b").toDoubleVector(), 0.0);
        assertArrayEquals(new long[]{3, 2, 3}, picked.get("a").shape());
    }
}
