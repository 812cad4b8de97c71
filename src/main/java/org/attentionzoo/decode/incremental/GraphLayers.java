package org.attentionzoo.decode.incremental;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/** Reading a graph's configuration (which vertex feeds which, and what each one is) and its parameters. */
final class GraphLayers {

    private GraphLayers() {
    }

    /** The configuration of vertex {@code name}. */
    static GraphVertex vertexConf(ComputationGraph graph, String name) {
        GraphVertex v = graph.getConfiguration().getVertices().get(name);
        if (v == null) {
            throw new IllegalArgumentException("the graph has no vertex \"" + name + "\"");
        }
        return v;
    }

    /** The layer configuration of vertex {@code name}, or null when it is not a layer. */
    static Layer layerConf(ComputationGraph graph, String name) {
        return vertexConf(graph, name) instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
    }

    /** The names of the vertices (or graph inputs) feeding vertex {@code name}, in order. */
    static List<String> inputs(ComputationGraph graph, String name) {
        List<String> in = graph.getConfiguration().getVertexInputs().get(name);
        return in == null ? List.of() : in;
    }

    /**
     * The vertex whose activations reach {@code name} at inference through dropout layers (the identity
     * at inference): {@code name} itself when it is no dropout layer.
     */
    static String belowDropout(ComputationGraph graph, String name) {
        String at = name;
        while (graph.getConfiguration().getVertices().containsKey(at) && layerConf(graph, at) instanceof DropoutLayer) {
            at = single(graph, at);
        }
        return at;
    }

    /**
     * Parameter {@code key} of a layer's or vertex's parameter table.
     *
     * @throws IllegalArgumentException if it has none of that name
     */
    static INDArray param(Map<String, INDArray> params, String key) {
        INDArray p = params.get(key);
        if (p == null) {
            throw new IllegalArgumentException("no parameter \"" + key + "\"; the layer has " + params.keySet());
        }
        return p;
    }

    /** The one input of vertex {@code name}. */
    static String single(ComputationGraph graph, String name) {
        List<String> in = inputs(graph, name);
        if (in.size() != 1) {
            throw new IllegalArgumentException("vertex \"" + name + "\" has inputs " + in + ", expected one");
        }
        return in.get(0);
    }
}
