package org.attentionzoo.decode.incremental;

import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.layers.transformer.EncoderLayer;
import org.attentionzoo.layers.transformer.PositionalEncoding;
import org.attentionzoo.models.GraphNames;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Transformer's encoder run for decoding without the graph: e = EncoderLayer_{N−1}(… EncoderLayer_0(x) …)
 * with x_t = √d_model · E[src_t] + PE[t] ({@link TargetEmbedding} on the source side), each layer an
 * {@link EncoderLayerStep} on all n·T positions at once. It computes what the graph computes
 * ({@link EncoderPass}) without the graph's SameDiff session and workspaces: its self-attention loops over the
 * queries for a few sentences and runs batched products for more ({@link StepAttention#attendWithin}).
 * Inference only (dropout is the identity); float models.
 */
final class TransformerEncoder {

    /** The encoder's temporaries live in this workspace (configured as the decoder step's). */
    private static final String WORKSPACE = "attention-zoo-transformer-encoder";

    private final TargetEmbedding embedding;
    private final List<EncoderLayerStep> layers;
    private final String output;

    private TransformerEncoder(TargetEmbedding embedding, List<EncoderLayerStep> layers, String output) {
        this.embedding = embedding;
        this.layers = layers;
        this.output = output;
    }

    /**
     * The encoder pass for a Transformer graph: this class's when
     * the graph is float and shaped source → source_embedding → PositionalEncoding → (dropout) → encoder_0 →
     * … → {@code encoderOutput}, else the graph's own ({@link EncoderPass}).
     */
    static Function<int[][], Map<String, INDArray>> forGraph(ComputationGraph graph, String encoderOutput) {
        TransformerEncoder encoder = of(graph, encoderOutput);
        return sources -> encoder != null ? encoder.run(sources) : EncoderPass.run(graph, sources, encoderOutput);
    }

    private static TransformerEncoder of(ComputationGraph graph, String encoderOutput) {
        if (graph.params().dataType() != DataType.FLOAT) {
            return null;
        }
        List<EncoderLayerStep> steps = new ArrayList<>();
        String at = encoderOutput;
        while (GraphLayers.layerConf(graph, at) instanceof EncoderLayer layer) {
            steps.add(0, new EncoderLayerStep(layer, graph.getLayer(at).paramTable()));
            at = GraphLayers.belowDropout(graph, GraphLayers.single(graph, at));
        }
        if (steps.isEmpty() || !(GraphLayers.layerConf(graph, at) instanceof PositionalEncoding)
                || !GraphLayers.single(graph, at).equals(GraphNames.SOURCE_EMBEDDING)
                || !GraphLayers.single(graph, GraphNames.SOURCE_EMBEDDING).equals(GraphNames.SOURCE)) {
            return null;
        }
        return new TransformerEncoder(new TargetEmbedding(graph, GraphNames.SOURCE_EMBEDDING, at), List.copyOf(steps),
                encoderOutput);
    }

    /**
     * @param sources source ids per sentence, none empty
     * @return as {@link EncoderPass#run}: the encoder output [n, d_model, T] under its vertex name and
     * {@link EncoderPass#SOURCE_MASK} → [n, T]; outside any workspace
     */
    Map<String, INDArray> run(int[][] sources) {
        int n = sources.length;
        SourceBatch batch = SourceBatch.of(sources);
        int[] lengths = batch.lengths();
        int t = batch.padded();
        INDArray mask = batch.mask();
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(IncrementalStepModel.STEP_MEMORY, WORKSPACE)) {
            INDArray[] positions = new INDArray[t];
            for (int s = 0; s < t; s++) {
                int[] tokens = new int[n];
                for (int i = 0; i < n; i++) {
                    tokens[i] = s < lengths[i] ? sources[i][s] : Vocabulary.PAD_ID;
                }
                positions[s] = embedding.embed(tokens, s);                                    // [n, d_model]
            }
            long d = positions[0].size(1);
            INDArray x = Nd4j.stack(1, positions).reshape('c', (long) n * t, d);             // row (i, s)
            for (EncoderLayerStep layer : layers) {
                x = layer.apply(x, n, t, lengths, mask);
            }
            out.put(output, x.reshape('c', n, t, d).detach().permute(0, 2, 1));
        }
        out.put(EncoderPass.SOURCE_MASK, mask);
        return out;
    }
}
