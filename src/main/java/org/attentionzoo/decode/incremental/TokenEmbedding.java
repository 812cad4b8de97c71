package org.attentionzoo.decode.incremental;

import org.attentionzoo.util.DirectBuffers;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A graph's {@code EmbeddingSequenceLayer} (without bias, identity activation, as the zoo builds them) at one step: token y is
 * row y of the embedding matrix E [V, e].
 */
final class TokenEmbedding {

    private final INDArray weights;

    /** @param layer the name of an embedding layer without bias, e.g. {@code target_embedding} */
    TokenEmbedding(ComputationGraph graph, String layer) {
        if (!(graph.getLayer(layer).conf().getLayer() instanceof EmbeddingSequenceLayer conf) || conf.hasBias()
                || !(conf.getActivationFn() instanceof ActivationIdentity)) {
            throw new IllegalArgumentException("layer \"" + layer + "\" is not an embedding sequence layer without bias"
                    + " and activation");
        }
        this.weights = graph.getLayer(layer).getParam(DefaultParamInitializer.WEIGHT_KEY);
    }

    /** The table's data type, that of the model. */
    DataType dataType() {
        return weights.dataType();
    }

    /** V, the number of rows. */
    long vocabularySize() {
        return weights.size(0);
    }

    /** e, the width of a row. */
    long width() {
        return weights.size(1);
    }

    /** E itself [V, e], the layer's parameter (not a copy). */
    INDArray table() {
        return weights;
    }

    /** E[tokens]: [rows, e]. */
    INDArray lookup(int[] tokens) {
        return DirectBuffers.gatherRows(weights, tokens);
    }
}
