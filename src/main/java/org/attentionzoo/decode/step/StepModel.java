package org.attentionzoo.decode.step;

/**
 * What every decoder needs from a model: the next-token distribution log p(y_t | y_&lt;t, x) for a
 * source x and a target prefix BOS y_1 … y_{t-1}. Greedy decoding and beam search are written against
 * this interface only, so they work for any model and never see a graph.
 *
 * <p>Decoding a batch starts a {@link Session} for its sources; the session is then asked for many
 * (sentence, prefix) pairs, step after step. This split lets an implementation do per-sentence work
 * once (run the encoder, compute attention keys) in {@link #start}, and lets it cache decoder state by
 * prefix: every prefix it is asked for extends by one token a prefix it was asked for before (or is
 * BOS alone), so a fast implementation can look up the parent's state and run one decoder step, while
 * {@link GraphStepModel} simply runs the whole graph on the whole prefix. The search code is the same.
 */
public interface StepModel {

    /**
     * Starts decoding a batch of sentences.
     *
     * @param sources source token ids per sentence, none empty; index i is "sentence i" of the session
     */
    Session start(int[][] sources);

    /** Next-token log-probabilities for the sentences of one {@link #start} call. */
    interface Session extends AutoCloseable {

        /**
         * Log-probabilities of the next token, one row per (sentence, prefix) pair.
         *
         * @param sentences indices into the sources given to {@link StepModel#start}, repeats allowed
         * @param prefixes  one prefix per entry of {@code sentences}, each starting with BOS
         * @return [n][vTgt]: row i is log p(y | prefixes[i], sources[sentences[i]]); every value is at
         * most 0 (−∞ for impossible tokens), as for any probability distribution
         */
        double[][] logProbs(int[] sentences, int[][] prefixes);

        /**
         * The most probable next token for each (sentence, prefix) pair, the argmax of its {@link #logProbs}
         * row (the lowest id among equal values) over the tokens not in {@code excluded}. Greedy decoding asks
         * only this, so an implementation may skip normalising: the argmax of the logits is the argmax of
         * the log-softmax. By default, the best of {@link #topTokens}, which by default reads {@link #logProbs}.
         *
         * @param excluded token ids never returned (e.g. EOS while a minimum length is not reached)
         * @return one token id per pair
         */
        default int[] bestTokens(int[] sentences, int[][] prefixes, int... excluded) {
            TopTokens[] top = topTokens(sentences, prefixes, 1, excluded);
            int[] best = new int[top.length];
            for (int i = 0; i < top.length; i++) {
                best[i] = top[i].tokens()[0];
            }
            return best;
        }

        /**
         * The {@code k} most probable next tokens of each (sentence, prefix) pair with their log-probabilities
         * (those of {@link #logProbs}), best first, the lower id first among equal values, none in
         * {@code excluded}. Beam search asks only this: a row's k best tokens are the only ones that can enter
         * a beam of k. By default, selected from {@link #logProbs}.
         */
        default TopTokens[] topTokens(int[] sentences, int[][] prefixes, int k, int... excluded) {
            double[][] rows = logProbs(sentences, prefixes);
            TopTokens[] top = new TopTokens[rows.length];
            for (int i = 0; i < rows.length; i++) {
                top[i] = TopTokens.of(rows[i], k, excluded);
            }
            return top;
        }

        /**
         * The attention weights behind the last {@link #logProbs}, {@link #bestTokens} or {@link #topTokens} call,
         * one row per pair in that call's order: row i is the weights over the source positions (the sentence's
         * tokens, then 0 for padding up to the session's longest source) that the model's alignment vertex used for
         * pair i's distribution. Null (the default) when the model does not report them.
         */
        default float[][] lastAttention() {
            return null;
        }

        /** Releases cached state; the session is not used afterwards. Does nothing by default. */
        @Override
        default void close() {
        }
    }
}
