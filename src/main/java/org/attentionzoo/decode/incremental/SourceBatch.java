package org.attentionzoo.decode.incremental;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A batch of source sentences as the eager encoders see it: each sentence's length, the longest (T, the
 * padded length) and the source mask.
 *
 * @param lengths the real length of each sentence
 * @param padded  T, the longest length
 */
record SourceBatch(int[] lengths, int padded) {

    /** @throws IllegalArgumentException for an empty sentence */
    static SourceBatch of(int[][] sources) {
        int[] lengths = new int[sources.length];
        int t = 1;
        for (int i = 0; i < sources.length; i++) {
            if (sources[i].length == 0) {
                throw new IllegalArgumentException("empty source sentence");
            }
            lengths[i] = sources[i].length;
            t = Math.max(t, lengths[i]);
        }
        return new SourceBatch(lengths, t);
    }

    /** The source mask [n, T], float: 1 for real tokens, 0 for padding (as {@link EncoderPass} gives it). */
    INDArray mask() {
        float[][] rows = new float[lengths.length][padded];
        for (int i = 0; i < lengths.length; i++) {
            java.util.Arrays.fill(rows[i], 0, lengths[i], 1f);
        }
        return Nd4j.createFromArray(rows);
    }
}
