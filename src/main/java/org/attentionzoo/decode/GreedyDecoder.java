package org.attentionzoo.decode;

import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.models.GraphNames;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/**
 * Greedy decoding: at every step take the most probable next token, y_t = argmax p(y | y_&lt;t, x),
 * until EOS or the length limit. Works for every zoo graph through its two inputs and one output.
 *
 * <p>Each step runs the graph on the whole prefix (BOS y_1 … y_{t-1}) for the whole batch. That is
 * simple and identical to teacher forcing by construction; it costs O(T²) decoder work per sentence.
 */
public final class GreedyDecoder {

    private final ComputationGraph graph;
    private final LengthLimit limit;

    public GreedyDecoder(ComputationGraph graph, LengthLimit limit) {
        this.graph = graph;
        this.limit = limit;
    }

    /**
     * Decodes a batch of source id sequences (none empty).
     *
     * @return per sentence the generated target ids, without BOS and without the final EOS
     */
    public int[][] decode(int[][] sources) {
        int mb = sources.length;
        if (mb == 0) {
            return new int[0][];
        }
        INDArray[] source = Batches.padded(sources);              // [mb, 1, tSrc] and [mb, tSrc]
        int maxSteps = 0;
        for (int[] s : sources) {
            maxSteps = Math.max(maxSteps, limit.maxTargetLength(s.length));
        }
        int[][] prefix = new int[mb][maxSteps + 1];
        for (int[] p : prefix) {
            p[0] = Vocabulary.BOS_ID;
        }
        int[] length = new int[mb];                                // generated tokens before EOS
        boolean[] done = new boolean[mb];
        int open = mb;
        for (int t = 1; t <= maxSteps && open > 0; t++) {
            INDArray targetIn = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, mb, 1, t);
            for (int i = 0; i < mb; i++) {
                for (int j = 0; j < t; j++) {
                    targetIn.putScalar(i, 0, j, prefix[i][j]);
                }
            }
            INDArray targetMask = Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, mb, t);
            INDArray probs = graph.output(false, new INDArray[]{source[0], targetIn},
                    new INDArray[]{source[1], targetMask})[0];                            // [mb, vTgt, t]
            INDArray last = probs.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t - 1)); // [mb, vTgt]
            INDArray best = Nd4j.argMax(last, 1);                                         // [mb]
            for (int i = 0; i < mb; i++) {
                if (done[i]) {
                    continue;
                }
                int token = best.getInt(i);
                prefix[i][t] = token;
                if (token == Vocabulary.EOS_ID || t == limit.maxTargetLength(sources[i].length)) {
                    done[i] = true;
                    open--;
                    length[i] = token == Vocabulary.EOS_ID ? t - 1 : t;
                }
            }
        }
        int[][] out = new int[mb][];
        for (int i = 0; i < mb; i++) {
            out[i] = Arrays.copyOfRange(prefix[i], 1, 1 + length[i]);
        }
        return out;
    }
}
