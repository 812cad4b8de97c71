package org.attentionzoo.decode;

import org.attentionzoo.decode.step.Batches;
import org.attentionzoo.decode.step.StepModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The {@link StepModel} of any zoo graph, by brute force: each call runs the whole graph on the
 * sources and the full prefixes and reads the softmax at each prefix's last position,
 * log p(y_t | y_&lt;t, x) = log output[i, ·, |prefix_i| − 1]. That is teacher forcing by construction
 * (the decoder is causal) and costs O(T²) decoder work per sentence; nothing is cached.
 *
 * <p>Masks are always passed explicitly, for both inputs: SameDiff vertices otherwise keep the mask of
 * an earlier call. Sources are padded to the longest source of the session and prefixes to the
 * longest prefix of the call (PAD, mask 0); the log is taken in double, so distinct float
 * probabilities stay distinct and greedy argmax picks what it picked on the probabilities.
 */
public final class GraphStepModel implements StepModel {

    private final ComputationGraph graph;

    public GraphStepModel(ComputationGraph graph) {
        this.graph = graph;
    }

    @Override
    public Session start(int[][] sources) {
        int tSrc = 1;
        for (int[] s : sources) {
            if (s.length == 0) {
                throw new IllegalArgumentException("empty source sentence");
            }
            tSrc = Math.max(tSrc, s.length);
        }
        int width = tSrc;
        int[][] copy = sources.clone();
        return (sentences, prefixes) -> logProbs(copy, width, sentences, prefixes);
    }

    private double[][] logProbs(int[][] sources, int tSrc, int[] sentences, int[][] prefixes) {
        if (sentences.length != prefixes.length) {
            throw new IllegalArgumentException(sentences.length + " sentences but " + prefixes.length + " prefixes");
        }
        int n = sentences.length;
        if (n == 0) {
            return new double[0][];
        }
        int[][] rows = new int[n][];
        boolean sameLength = true;
        for (int i = 0; i < n; i++) {
            rows[i] = sources[sentences[i]];
            sameLength &= prefixes[i].length == prefixes[0].length;
        }
        INDArray[] src = Batches.padded(rows, tSrc);
        INDArray[] tgt = Batches.padded(prefixes, 1);
        INDArray probs = graph.output(false, new INDArray[]{src[0], tgt[0]}, new INDArray[]{src[1], tgt[1]})[0];
        double[][] out = new double[n][];
        if (sameLength) {                                               // one slice [n, vTgt]
            double[][] last = probs.get(NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.point(prefixes[0].length - 1)).toDoubleMatrix();
            for (int i = 0; i < n; i++) {
                out[i] = log(last[i]);
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = log(probs.get(NDArrayIndex.point(i), NDArrayIndex.all(),
                        NDArrayIndex.point(prefixes[i].length - 1)).toDoubleVector());
            }
        }
        return out;
    }

    private static double[] log(double[] p) {
        double[] out = new double[p.length];
        for (int j = 0; j < p.length; j++) {
            out[j] = Math.log(p[j]);
        }
        return out;
    }
}
