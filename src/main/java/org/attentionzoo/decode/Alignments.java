package org.attentionzoo.decode;

import org.attentionzoo.decode.step.Batches;
import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.layers.attention.AlignmentProbe;
import org.attentionzoo.viz.Alignment;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * The alignment behind decoded translations: the attention rows the search kept ({@link Hypothesis#attention}),
 * or one teacher-forced pass over BOS + output (safe to call from several threads on one graph: the passes take
 * turns), whose attention
 * weights at step t are those the decoder used when it chose output token t (the decoder is causal, so
 * the pass sees exactly what greedy decoding saw at each step).
 */
final class Alignments {

    private Alignments() {
    }

    /**
     * @param sources source ids per sentence
     * @param outputs decoded target ids per sentence (no BOS, no EOS)
     * @return weights [mb, tOut + 1, tSrc]: row t for output token t, the last real row for EOS
     */
    static INDArray weights(ComputationGraph graph, String vertex, int[][] sources, int[][] outputs) {
        int[][] targetIn = new int[outputs.length][];
        for (int i = 0; i < outputs.length; i++) {
            targetIn[i] = new int[outputs[i].length + 1];
            targetIn[i][0] = Vocabulary.BOS_ID;
            System.arraycopy(outputs[i], 0, targetIn[i], 1, outputs[i].length);
        }
        INDArray[] src = Batches.padded(sources);
        INDArray[] tgt = Batches.padded(targetIn);
        synchronized (graph) {       // the pass sets the graph's masks and layer inputs: passes take turns (EncoderPass)
            return AlignmentProbe.alignments(graph, vertex, new INDArray[]{src[0], tgt[0]}, new INDArray[]{src[1], tgt[1]});
        }
    }

    /**
     * The attention rows a search kept ({@link Hypothesis#attention}) as an {@link Alignment}: row t for output
     * token t, the last for EOS; the first |source| columns (the rest are padding).
     */
    static Alignment of(float[][] rows, List<String> sourceTokens, List<String> outputTokens) {
        List<String> targets = new ArrayList<>(outputTokens);
        targets.add(Vocabulary.EOS);
        double[][] w = new double[targets.size()][sourceTokens.size()];   // as many rows as {@link #of(INDArray, int, List, List)}
        for (int t = 0; t < targets.size(); t++) {
            for (int s = 0; s < sourceTokens.size(); s++) {
                w[t][s] = rows[t][s];
            }
        }
        return new Alignment(sourceTokens, targets, w);
    }

    /** Sentence {@code k} of a batch of weights as an {@link Alignment}, with EOS as the last target row. */
    static Alignment of(INDArray weights, int k, List<String> sourceTokens, List<String> outputTokens) {
        List<String> rows = new ArrayList<>(outputTokens);
        rows.add(Vocabulary.EOS);
        double[][] w = new double[rows.size()][sourceTokens.size()];
        for (int t = 0; t < rows.size(); t++) {
            for (int s = 0; s < sourceTokens.size(); s++) {
                w[t][s] = weights.getDouble(k, t, s);
            }
        }
        return new Alignment(sourceTokens, rows, w);
    }
}
