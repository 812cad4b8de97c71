package org.attentionzoo.layers.attention;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

import java.util.Map;

/**
 * A SameDiff vertex whose computation includes alignment weights a_ij between target steps i and source
 * positions j. A vertex has one output, so the weights cannot leave the graph with it;
 * {@link AlignmentProbe} instead rebuilds the computation with this method over the vertex's own
 * parameters and inputs, which yields exactly the weights the vertex used.
 */
public interface AlignmentVertex {

    /**
     * Builds the vertex's computation as {@code defineVertex} does and returns the alignment.
     *
     * @param inputs the vertex inputs by name (as declared in defineParametersAndInputs)
     * @param params the vertex parameters by key
     * @param masks  the input masks by input name ([mb, T] each)
     * @return alignment weights [mb, tTarget, tSource]
     */
    SDVariable defineAlignment(SameDiff sd, Map<String, SDVariable> inputs, Map<String, SDVariable> params,
                               Map<String, SDVariable> masks);
}
