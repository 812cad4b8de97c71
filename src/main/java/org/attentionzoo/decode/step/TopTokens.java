package org.attentionzoo.decode.step;

import java.util.Arrays;

/**
 * The k most probable next tokens of one (sentence, prefix) pair, best first, with their log-probabilities:
 * what beam search reads of a step ({@link StepModel.Session#topTokens}). Ties go to the lower token id.
 *
 * @param tokens   token ids, best first
 * @param logProbs log p(token | prefix, source), same order, non-increasing
 */
public record TopTokens(int[] tokens, double[] logProbs) {

    public TopTokens {
        if (tokens.length != logProbs.length) {
            throw new IllegalArgumentException(tokens.length + " tokens but " + logProbs.length + " log-probabilities");
        }
    }

    /** Number of tokens kept. */
    public int size() {
        return tokens.length;
    }

    /** The k best entries of a row of log-probabilities, never one of the {@code excluded} ids. */
    public static TopTokens of(double[] logProbs, int k, int... excluded) {
        boolean[] skip = skipped(logProbs.length, excluded);
        Selection best = new Selection(k);
        for (int token = 0; token < logProbs.length; token++) {
            if (!skip[token]) {
                best.offer(token, logProbs[token]);
            }
        }
        return best.result(0);
    }

    /** {@code excluded} as a mask over a vocabulary of {@code size} ids. */
    public static boolean[] skipped(int size, int[] excluded) {
        boolean[] skip = new boolean[size];
        for (int token : excluded) {
            if (token < 0 || token >= size) {
                throw new IllegalArgumentException("excluded token " + token + " is not in a vocabulary of " + size);
            }
            skip[token] = true;
        }
        return skip;
    }

    /**
     * The k largest values among those offered in increasing token order, ties to the earlier (lower) token:
     * one comparison for a value that does not beat the k-th kept, an insertion otherwise.
     */
    public static final class Selection {
        private final int[] tokens;
        private final double[] values;
        private int size;

        public Selection(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("k must be at least 1, got " + k);
            }
            tokens = new int[k];
            values = new double[k];
        }

        /** Offers a token; tokens must come in increasing id order. */
        public void offer(int token, double value) {
            if (size == values.length && !(value > values[size - 1])) {
                return;
            }
            int at = size == values.length ? size - 1 : size++;
            while (at > 0 && value > values[at - 1]) {
                tokens[at] = tokens[at - 1];
                values[at] = values[at - 1];
                at--;
            }
            tokens[at] = token;
            values[at] = value;
        }

        /**
         * The smallest value an offer must beat to be kept once k are kept (−∞ before): a caller may skip
         * {@link #offer} for values not above it.
         */
        public double floor() {
            return size == values.length ? values[size - 1] : Double.NEGATIVE_INFINITY;
        }

        /** The largest value kept (−∞ before the first). */
        public double best() {
            return size == 0 ? Double.NEGATIVE_INFINITY : values[0];
        }

        /** Whether k values are kept. */
        public boolean full() {
            return size == values.length;
        }

        /** The kept tokens, best first, with {@code shift} added to each value. */
        public TopTokens result(double shift) {
            double[] shifted = Arrays.copyOf(values, size);
            for (int i = 0; i < size; i++) {
                shifted[i] += shift;
            }
            return new TopTokens(Arrays.copyOf(tokens, size), shifted);
        }
    }
}
