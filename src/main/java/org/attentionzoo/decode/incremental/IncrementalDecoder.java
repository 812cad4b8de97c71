package org.attentionzoo.decode.incremental;

/**
 * One model family's decoder, run one target step at a time from cached state: the encoder runs once
 * per sentence ({@link #encode}), and each step feeds one token to the state the previous step left.
 * {@link IncrementalStepModel} turns this into a {@link org.attentionzoo.decode.step.StepModel}, so greedy
 * decoding and beam search use it unchanged.
 *
 * <p>An implementation computes exactly what the model's training graph computes at the last position
 * of a teacher-forced prefix (its tests compare the two), but does O(1) decoder work per step instead
 * of re-running the graph on the prefix.
 *
 * <p>{@link IncrementalStepModel} calls {@link #initialState} and {@link #step} inside an ND4J workspace
 * that is reused by the next call; it copies the returned states out. An implementation that keeps an
 * array of its own from one call to the next (a cache) must create it outside workspaces
 * ({@code Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()}), as {@code TransformerSteps} does.
 */
public interface IncrementalDecoder {

    /**
     * Runs the encoder once.
     *
     * @param sources source ids per sentence, none empty
     * @return whatever the steps read of the sources (encoder states, source masks, precomputed
     * attention keys), one row per sentence
     */
    RowState encode(int[][] sources);

    /**
     * The decoder state before any target token has been fed, one row per entry of {@code sentences}.
     *
     * @param encoded   what {@link #encode} returned
     * @param sentences row indices into {@code encoded}, repeats allowed
     */
    RowState initialState(RowState encoded, int[] sentences);

    /**
     * Feeds one token per row and returns the next-token distribution and the state after that token.
     *
     * @param encoded   what {@link #encode} returned
     * @param sentences per row of {@code state}, the row of {@code encoded} it belongs to
     * @param state     the decoder state, one row per entry of {@code sentences}
     * @param tokens    the token fed to each row (BOS at the first step)
     * @return log p(y | prefix + token, source) per row, and the state after {@code tokens}
     */
    StepOutput step(RowState encoded, int[] sentences, RowState state, int[] tokens);

    /**
     * {@link #step} from rows {@code parentRows} of {@code parents} (a beam's surviving hypotheses taking their
     * parents' states): {@code step(encoded, sentences, parents.select(parentRows), tokens)}, which a decoder
     * may compute without that copy of the parents' rows (the Transformer gathers its cache and appends the new
     * position in one pass).
     */
    default StepOutput step(RowState encoded, int[] sentences, RowState parents, int[] parentRows, int[] tokens) {
        return step(encoded, sentences, parents.select(parentRows), tokens);
    }
}
