package org.attentionzoo.viz;

import java.util.Arrays;
import java.util.List;

/**
 * The attention weights of one translation: which source tokens each target token looked at.
 *
 * <p>Row {@code t} of {@code weights} belongs to target token {@code t} (the final end-of-sentence
 * token such as {@code </s>} included), column {@code s} to source token {@code s}. Every weight must
 * be finite and lie in [0, 1]; values at most {@value #TOLERANCE} outside that range (rounding noise
 * from a softmax) are accepted and clamped. The record keeps its own copy of the matrix and hands out
 * copies, so it is immutable. It depends on no model code, so RNN attention and Transformer
 * cross-attention alike can be drawn from it.
 *
 * @param sourceTokens the source tokens, one per column
 * @param targetTokens the target tokens, one per row
 * @param weights      the weights, {@code targetTokens.size()} rows of {@code sourceTokens.size()}
 */
public record Alignment(List<String> sourceTokens, List<String> targetTokens, double[][] weights) {

    /** How far outside [0, 1] a weight may lie before it is rejected. */
    public static final double TOLERANCE = 1e-6;

    /**
     * Validates the shape and values and copies the inputs.
     *
     * @throws IllegalArgumentException if the shape does not match the token lists, a list is empty,
     *                                  or a weight is not finite or lies outside [0, 1]
     * @throws NullPointerException     if a list, a token or the matrix (or one of its rows) is null
     */
    public Alignment {
        sourceTokens = List.copyOf(sourceTokens);
        targetTokens = List.copyOf(targetTokens);
        if (weights == null) {
            throw new NullPointerException("weights is null");
        }
        int rows = targetTokens.size();
        int cols = sourceTokens.size();
        if (rows == 0 || cols == 0) {
            throw new IllegalArgumentException("an alignment needs at least one source and one target token, got "
                    + rows + " target x " + cols + " source");
        }
        if (weights.length != rows) {
            throw new IllegalArgumentException("weights must be " + rows + " x " + cols
                    + " (target x source) but has " + weights.length + " rows");
        }
        double[][] copy = new double[rows][];
        for (int t = 0; t < rows; t++) {
            double[] row = weights[t];
            if (row == null) {
                throw new NullPointerException("weights row " + t + " is null");
            }
            if (row.length != cols) {
                throw new IllegalArgumentException("weights must be " + rows + " x " + cols
                        + " (target x source) but row " + t + " has " + row.length + " columns");
            }
            copy[t] = new double[cols];
            for (int s = 0; s < cols; s++) {
                copy[t][s] = checked(row[s], t, s);
            }
        }
        weights = copy;
    }

    private static double checked(double w, int t, int s) {
        if (!Double.isFinite(w) || w < -TOLERANCE || w > 1 + TOLERANCE) {
            throw new IllegalArgumentException("weight [" + t + "][" + s + "] = " + w
                    + " is not a finite value in [0, 1]");
        }
        return Math.min(1.0, Math.max(0.0, w));
    }

    /** Returns a copy of the matrix, {@code rows()} rows of {@code columns()} weights. */
    @Override
    public double[][] weights() {
        double[][] copy = new double[weights.length][];
        for (int t = 0; t < weights.length; t++) {
            copy[t] = weights[t].clone();
        }
        return copy;
    }

    /** The number of rows: target tokens. */
    public int rows() {
        return targetTokens.size();
    }

    /** The number of columns: source tokens. */
    public int columns() {
        return sourceTokens.size();
    }

    /**
     * The weight target token {@code targetIndex} gave source token {@code sourceIndex}.
     *
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public double weight(int targetIndex, int sourceIndex) {
        return weights[targetIndex][sourceIndex];
    }

    /**
     * The source token index with the largest weight in row {@code targetIndex}; the first such index
     * when several share the largest weight.
     *
     * @throws IndexOutOfBoundsException if the index is out of range
     */
    public int mostAttendedSource(int targetIndex) {
        double[] row = weights[targetIndex];
        int best = 0;
        for (int s = 1; s < row.length; s++) {
            if (row[s] > row[best]) {
                best = s;
            }
        }
        return best;
    }

    /** Equal when the tokens and every weight are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Alignment other
                && sourceTokens.equals(other.sourceTokens)
                && targetTokens.equals(other.targetTokens)
                && Arrays.deepEquals(weights, other.weights);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * sourceTokens.hashCode() + targetTokens.hashCode()) + Arrays.deepHashCode(weights);
    }

    @Override
    public String toString() {
        return "Alignment[" + rows() + " target x " + columns() + " source, source=" + sourceTokens
                + ", target=" + targetTokens + "]";
    }
}
