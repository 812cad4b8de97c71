package org.attentionzoo.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * A SameDiff layer or vertex configuration whose graph has dropout-mask placeholders
 * ({@link InvertedDropout#placeholder}). Its runtime ({@link DropoutSameDiffLayer} for a layer,
 * {@link FixedSameDiffGraphVertex} for a vertex) asks for their values once per forward pass, feeds them to
 * the forward pass and feeds the very same arrays to the backward pass that follows.
 */
public interface DropoutMaskSource {

    /**
     * The values of the mask placeholders for one forward pass.
     *
     * @param training whether the network is training (DL4J's {@code train} flag of {@code fit},
     *                 {@code output}, {@code feedForward})
     * @param dataType the network's floating-point type
     * @param inputs   the layer's input (a vertex's inputs), in DL4J's layout
     * @return placeholder name → array, one entry per placeholder {@code defineLayer}/{@code defineVertex}
     *         declared; empty when it declared none (no dropout configured)
     */
    Map<String, INDArray> dropoutMasks(boolean training, DataType dataType, INDArray... inputs);
}
