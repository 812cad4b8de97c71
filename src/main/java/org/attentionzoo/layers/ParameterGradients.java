package org.attentionzoo.layers;

import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.Set;

/** The last step of our layers' and vertices' backward passes: parameter gradients into DL4J's views. */
public final class ParameterGradients {

    private ParameterGradients() {
    }

    /**
     * Copies each parameter's gradient from what {@code calculateGradients} returned into the layer's gradient
     * view, and lists the views as DL4J's {@link Gradient}.
     *
     * @param keys      the parameter names
     * @param views     the gradient views, by parameter name
     * @param gradients SameDiff's gradients, by variable name
     */
    static Gradient copy(Set<String> keys, Map<String, INDArray> views, Map<String, INDArray> gradients) {
        for (String key : keys) {
            views.get(key).assign(gradients.get(key));
        }
        return of(keys, views);
    }

    /** The gradient views, already written, listed as DL4J's {@link Gradient} in the order of {@code keys}. */
    public static Gradient of(Set<String> keys, Map<String, INDArray> views) {
        Gradient g = new DefaultGradient();
        for (String key : keys) {
            g.gradientForVariable().put(key, views.get(key));
        }
        return g;
    }
}
