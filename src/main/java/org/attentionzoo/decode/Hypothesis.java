package org.attentionzoo.decode;

import org.attentionzoo.decode.step.StepModel;
import java.util.Arrays;

/**
 * One finished beam-search hypothesis.
 *
 * @param tokens  the output ids, without BOS and without EOS
 * @param logProb log P(Y | x), the sum of the log-probabilities of its tokens and of its EOS (a
 *                hypothesis cut at the length limit has no EOS)
 * @param score   the ranking score logProb / lp(|Y|), see {@link BeamSearch#lengthPenalty}
 * @param attention the attention weights the search used, one row per decoding step (each output token, then EOS;
 *                [steps][tSrc], tSrc the batch's longest source, 0 at padding), or null when the step model does not
 *                report them ({@link StepModel.Session#lastAttention}); not part of equality
 */
public record Hypothesis(int[] tokens, double logProb, double score, float[][] attention) {

    public Hypothesis {
        tokens = tokens.clone();
    }

    /** A hypothesis without attention weights. */
    public Hypothesis(int[] tokens, double logProb, double score) {
        this(tokens, logProb, score, null);
    }

    /** A copy of the output ids. */
    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    /** Equal when the tokens and both numbers are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Hypothesis h && Arrays.equals(tokens, h.tokens)
                && Double.compare(logProb, h.logProb) == 0 && Double.compare(score, h.score) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(tokens) + Double.hashCode(logProb)) + Double.hashCode(score);
    }

    @Override
    public String toString() {
        return "Hypothesis[tokens=" + Arrays.toString(tokens) + ", logProb=" + logProb + ", score=" + score + "]";
    }
}
