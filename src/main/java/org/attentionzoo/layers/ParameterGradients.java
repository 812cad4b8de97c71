package org.attentionzoo.layers;

import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.Set;

/** The last step of our SameDiff layers' and vertices' backward passes: parameter gradients into DL4J's views. */
final class ParameterGradients {

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
        Gradient g = new DefaultGradient();
        for (String key : keys) {
            INDArray target = views.get(key);
            target.assign(gradients.get(key));
            g.gradientForVariable().put(key, target);
        }
        return g;
    }
}
