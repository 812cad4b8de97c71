package org.attentionzoo.decode.incremental;

import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.decode.GraphStepModel;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.RnnAttention;
import org.attentionzoo.models.Seq2Seq;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.attentionzoo.decode.incremental.TransformerFixtures.SOURCES;
import static org.attentionzoo.decode.incremental.TransformerFixtures.card;
import static org.attentionzoo.decode.incremental.TransformerFixtures.graph;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TransformerSteps} as an {@link IncrementalDecoder}: the state's rows can be gathered (beam
 * reordering) without changing what they compute; rows at different positions are refused; the graph's
 * parameters are read live; wrong cards and graphs are refused with a reason.
 */
class TransformerStepsStateTest {

    private static final int BOS = Vocabulary.BOS_ID;
    private static ModelCard card;
    private static ComputationGraph graph;

    @BeforeAll
    static void build() {
        card = card("pre", "gelu", "sinusoidal", 1, 2, 0.0);
        graph = graph(card, DataType.DOUBLE, 0.3, 13);
    }

    /** Feeds the given token columns (one array per step, one token per row) and returns the last step. */
    private static StepOutput run(TransformerSteps steps, RowState encoded, int[] sentences, RowState state, int[]... tokens) {
        StepOutput out = null;
        for (int[] column : tokens) {
            out = steps.step(encoded, sentences, state, column);
            state = out.state();
        }
        return out;
    }

    /**
     * Four hypotheses decoded three steps, then reordered as a beam does ({3, 0, 0, 2}: one dropped, one
     * duplicated) and stepped once more, against the same four prefixes computed from BOS in that order.
     */
    @Test
    void selectingRowsIsComputingThoseRowsDirectly() {
        TransformerSteps steps = new TransformerSteps(card, graph);
        RowState encoded = steps.encode(SOURCES);
        int[] sentences = {0, 1, 2, 4};
        int[][] columns = {{BOS, BOS, BOS, BOS}, {5, 6, 7, 8}, {9, 10, 11, 12}};
        RowState before = run(steps, encoded, sentences, steps.initialState(encoded, sentences), columns).state();
        assertEquals(3.0, before.get(TransformerSteps.POSITION).getDouble(0));
        assertArrayEquals(new long[]{4, 2, 3, 8}, before.get(TransformerSteps.selfKeys(1)).shape(), "[rows, h, t, d_k]");

        int[] picked = {3, 0, 0, 2};
        int[] pickedSentences = {4, 0, 0, 2};
        int[] next = {13, 14, 14, 16};                           // the duplicated row is fed the same token twice
        StepOutput reordered = steps.step(encoded, pickedSentences, before.select(picked), next);

        int[][] pickedColumns = new int[columns.length][];
        for (int c = 0; c < columns.length; c++) {
            pickedColumns[c] = new int[picked.length];
            for (int i = 0; i < picked.length; i++) {
                pickedColumns[c][i] = columns[c][picked[i]];
            }
        }
        TransformerSteps fresh = new TransformerSteps(card, graph);
        RowState direct = run(fresh, encoded, pickedSentences, fresh.initialState(encoded, pickedSentences), pickedColumns).state();
        StepOutput directly = fresh.step(encoded, pickedSentences, direct, next);

        double d = maxAbs(reordered.logProbs().sub(directly.logProbs()));
        for (int l = 0; l < card.decoderLayers(); l++) {
            d = Math.max(d, maxAbs(reordered.state().get(TransformerSteps.selfKeys(l))
                    .sub(directly.state().get(TransformerSteps.selfKeys(l)))));
            d = Math.max(d, maxAbs(reordered.state().get(TransformerSteps.selfValues(l))
                    .sub(directly.state().get(TransformerSteps.selfValues(l)))));
        }
        System.out.printf("TransformerSteps, selected rows vs rows computed directly: max |Δ| = %.3g%n", d);
        assertTrue(d < 1e-12, String.valueOf(d));
        assertEquals(0.0, maxAbs(reordered.logProbs().getRow(1).sub(reordered.logProbs().getRow(2))),
                "a duplicated row stays a copy");
    }

    private static double maxAbs(INDArray a) {
        return a.amaxNumber().doubleValue();
    }

    @Test
    void rowsAtDifferentPositionsAreRefused() {
        TransformerSteps steps = new TransformerSteps(card, graph);
        RowState encoded = steps.encode(SOURCES);
        int[] sentences = {0, 1};
        RowState one = run(steps, encoded, sentences, steps.initialState(encoded, sentences), new int[]{BOS, BOS}).state();
        RowState.Builder ragged = RowState.builder(2).put(TransformerSteps.POSITION, Nd4j.createFromArray(new double[][]{{1}, {2}}));
        for (int l = 0; l < card.decoderLayers(); l++) {
            ragged.put(TransformerSteps.selfKeys(l), one.get(TransformerSteps.selfKeys(l)))
                    .put(TransformerSteps.selfValues(l), one.get(TransformerSteps.selfValues(l)));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> steps.step(encoded, sentences, ragged.build(), new int[]{5, 6}));
        assertTrue(e.getMessage().contains("positions 1 to 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> steps.step(encoded, new int[]{0}, one, new int[]{5, 6}));
        assertThrows(IllegalArgumentException.class, () -> steps.initialState(encoded, new int[]{SOURCES.length}));
    }

    @Test
    void learnedPositionsEndWithAClearError() {
        ModelCard shortCard = card.toBuilder().positional("learned").maxPositions(8).build();
        ComputationGraph g = graph(shortCard, DataType.DOUBLE, 0.1, 3);
        TransformerSteps steps = new TransformerSteps(shortCard, g);
        RowState encoded = steps.encode(new int[][]{{4, 5}});
        RowState state = steps.initialState(encoded, new int[]{0});
        for (int t = 0; t < 8; t++) {
            state = steps.step(encoded, new int[]{0}, state, new int[]{t == 0 ? BOS : 4 + t}).state();
        }
        RowState full = state;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> steps.step(encoded, new int[]{0}, full, new int[]{5}));
        assertTrue(e.getMessage().contains("learned positions for 8"), e.getMessage());
    }

    /** The decoder reads the parameters through views: an in-place change of the graph's (training) is seen. */
    @Test
    void followsInPlaceChangesOfTheGraphsParameters() {
        ComputationGraph g = graph(card, DataType.DOUBLE, 0.3, 17);
        IncrementalStepModel steps = new IncrementalStepModel(new TransformerSteps(card, g));
        g.params().addi(Nd4j.rand(DataType.DOUBLE, g.params().shape()).subi(0.5).muli(0.2));
        double d = TransformerFixtures.maxDifference(new GraphStepModel(g), steps, SOURCES, 3, 1);
        assertTrue(d < 1e-10, String.valueOf(d));
    }

    @Test
    void onlyTransformerCardsAndGraphsAreAccepted() throws Exception {
        assertTrue(TransformerSteps.supports(card));
        ModelCard rnn = RnnAttention.builder().build();
        assertFalse(TransformerSteps.supports(rnn));
        assertFalse(TransformerSteps.supports(Seq2Seq.builder().build()));
        assertThrows(IllegalArgumentException.class, () -> new TransformerSteps(rnn, graph));
        ModelCard deeper = card.toBuilder().decoderLayers(3).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TransformerSteps(deeper, graph));
        assertTrue(e.getMessage().contains("decoder_2"), e.getMessage());
    }
}
