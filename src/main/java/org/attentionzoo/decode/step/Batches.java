package org.attentionzoo.decode.step;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Packs token-id sequences into the padded [mb, 1, t] id arrays and [mb, t] masks the graphs take. */
public final class Batches {

    private Batches() {
    }

    /** @return {ids [mb, 1, tMax], mask [mb, tMax]}, padding with id 0 (PAD) and mask 0 */
    public static INDArray[] padded(int[][] sequences) {
        return padded(sequences, 1);
    }

    /** As {@link #padded(int[][])}, padded to at least {@code minLength} steps. */
    public static INDArray[] padded(int[][] sequences, int minLength) {
        int t = Math.max(1, minLength);
        for (int[] s : sequences) {
            t = Math.max(t, s.length);
        }
        float[][][] ids = new float[sequences.length][1][t];
        float[][] mask = new float[sequences.length][t];
        for (int i = 0; i < sequences.length; i++) {
            for (int j = 0; j < sequences[i].length; j++) {
                ids[i][0][j] = sequences[i][j];
                mask[i][j] = 1f;
            }
        }
        return new INDArray[]{Nd4j.createFromArray(ids).castTo(DataType.FLOAT), Nd4j.createFromArray(mask)};
    }
}
