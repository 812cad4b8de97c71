package org.attentionzoo.decode.incremental;

import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.decode.step.Batches;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a zoo graph's encoder once on a batch of sources and returns the activations of chosen vertices.
 *
 * <p>DL4J runs a ComputationGraph's vertices in topological order up to the last one asked for
 * ({@code ComputationGraph.output(List, ...)}), so the decoder, which reads the encoder, does not run. The
 * target input still has to be given: BOS alone (nothing on the source side reads it, so the activations
 * are exactly those of any teacher-forced pass). Inference mode: dropout is off.
 */
public final class EncoderPass {

    private EncoderPass() {
    }

    /**
     * Runs the pass; safe to call from several threads on one graph (the passes take turns).
     *
     * @param sources  source ids per sentence, none empty
     * @param vertices names of the vertices whose activations are wanted
     * @return per name, its activations (detached from any workspace), e.g. [mb, h, tSrc] for a recurrent layer;
     * plus {@link #SOURCE_MASK} → the source mask [mb, tSrc] (1 for real tokens, 0 for padding)
     */
    public static Map<String, INDArray> run(ComputationGraph graph, int[][] sources, String... vertices) {
        int mb = sources.length;
        for (int[] s : sources) {
            if (s.length == 0) {
                throw new IllegalArgumentException("empty source sentence");
            }
        }
        INDArray[] src = Batches.padded(sources);
        INDArray srcMask = src[1];
        INDArray tgt = Nd4j.valueArrayOf(new long[]{mb, 1, 1}, (float) Vocabulary.BOS_ID, DataType.FLOAT);
        INDArray tgtMask = Nd4j.ones(DataType.FLOAT, mb, 1);
        INDArray[] activations;
        synchronized (graph) {       // a graph's forward pass sets its layers' inputs; DL4J's own output(...) locks the same way
            activations = graph.output(List.of(vertices), false, new INDArray[]{src[0], tgt},
                    new INDArray[]{srcMask, tgtMask});
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < vertices.length; i++) {
            out.put(vertices[i], activations[i]);
        }
        out.put(SOURCE_MASK, srcMask.castTo(graph.params().dataType()));
        return out;
    }

    /** Key of the source mask in {@link #run}'s result. */
    public static final String SOURCE_MASK = "source_mask";
}
