package org.attentionzoo.layers;

import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Base class of our SameDiff vertices: runs them on {@link FixedSameDiffGraphVertex}, which passes the
 * right gradient to the layers below (DL4J M2.1's own runtime does so only on the first backward pass).
 * Subclasses still end {@code defineVertex} with {@link GradientFix#halveGradient}.
 */
public abstract class ZooSameDiffVertex extends SameDiffVertex {

    @Override
    public GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
                                   boolean initializeParams, DataType networkDatatype) {
        setName(name);
        return new FixedSameDiffGraphVertex(this, graph, name, idx, paramsView, initializeParams, networkDatatype);
    }
}
