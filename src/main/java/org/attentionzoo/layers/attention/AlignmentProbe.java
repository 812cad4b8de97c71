package org.attentionzoo.layers.attention;

import org.attentionzoo.layers.FixedSameDiffGraphVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the alignment weights an {@link AlignmentVertex} used: runs the graph forward, takes the vertex's
 * input activations, input masks and parameters, and evaluates {@link AlignmentVertex#defineAlignment}
 * on them in a separate SameDiff instance. The same code that computes the vertex output computes the
 * weights shown; the graph is not changed.
 */
public final class AlignmentProbe {

    private AlignmentProbe() {
    }

    /**
     * @param graph      a graph containing an {@link AlignmentVertex} named {@code vertexName}
     * @param inputs     the graph inputs
     * @param inputMasks the graph input masks (pass them: SameDiff vertices otherwise reuse stale masks)
     * @return alignment weights [mb, tTarget, tSource]
     */
    public static INDArray alignments(ComputationGraph graph, String vertexName, INDArray[] inputs, INDArray[] inputMasks) {
        GraphVertex conf = graph.getConfiguration().getVertices().get(vertexName);
        if (!(conf instanceof AlignmentVertex)) {
            throw new IllegalArgumentException("vertex \"" + vertexName + "\" does not compute alignments (it is "
                    + (conf == null ? "missing" : conf.getClass().getSimpleName()) + ")");
        }
        return alignments(graph, vertexName, inputs, inputMasks, (AlignmentVertex) conf);
    }

    /**
     * As {@link #alignments(ComputationGraph, String, INDArray[], INDArray[])}, evaluating {@code definition}
     * instead of the vertex's own {@code defineAlignment} (e.g. per-head weights of a multi-head vertex).
     *
     * @param definition builds the wanted weights from the vertex's inputs, parameters and masks
     * @return what {@code definition} returns, evaluated
     */
    public static INDArray alignments(ComputationGraph graph, String vertexName, INDArray[] inputs, INDArray[] inputMasks,
                                      AlignmentVertex definition) {
        GraphVertex conf = graph.getConfiguration().getVertices().get(vertexName);
        if (!(conf instanceof SameDiffVertex)) {
            throw new IllegalArgumentException("vertex \"" + vertexName + "\" does not compute alignments (it is "
                    + (conf == null ? "missing" : conf.getClass().getSimpleName()) + ")");
        }
        graph.setLayerMaskArrays(inputMasks, null);
        Map<String, INDArray> activations;
        try {
            activations = graph.feedForward(inputs, false, false);
        } finally {
            graph.clearLayerMaskArrays();
        }
        org.deeplearning4j.nn.graph.vertex.GraphVertex runtime = graph.getVertex(vertexName);
        INDArray[] masks = runtime instanceof FixedSameDiffGraphVertex fixed ? fixed.lastMasks() : null;
        List<String> inputVertices = graph.getConfiguration().getVertexInputs().get(vertexName);
        List<String> inputNames = ((SameDiffVertex) conf).getVertexParams().getInputs();

        SameDiff sd = SameDiff.create();
        Map<String, SDVariable> in = new LinkedHashMap<>();
        Map<String, SDVariable> maskVars = new LinkedHashMap<>();
        for (int i = 0; i < inputNames.size(); i++) {
            INDArray x = activations.get(inputVertices.get(i));
            in.put(inputNames.get(i), sd.constant(inputNames.get(i), x));
            INDArray m = masks != null && masks[i] != null ? masks[i]
                    : Nd4j.ones(x.dataType(), x.size(0), x.size(2));
            maskVars.put(inputNames.get(i), sd.constant(inputNames.get(i) + "_mask", m.castTo(x.dataType())));
        }
        Map<String, SDVariable> params = new HashMap<>();
        runtime.paramTable(false).forEach((k, v) -> params.put(k, sd.constant(k, v)));
        SDVariable alignment = definition.defineAlignment(sd, in, params, maskVars);
        return alignment.eval().dup();
    }
}
