package org.attentionzoo.decode.incremental;

import org.attentionzoo.models.GraphNames;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The zoo graphs' softmax output layer ({@link GraphNames#OUTPUT}, an {@code RnnOutputLayer}) at one step,
 * as log-probabilities:
 * <pre>
 *   log p(y | ·) = log softmax(x W + b)_y = z_y − log Σ_v exp(z_v),   z = x W + b,  W [nIn, V],  b [1, V]
 * </pre>
 * computed as a log-softmax, in the parameters' data type (no probability is rounded to 0 first).
 */
final class SoftmaxOutput {

    private final INDArray weights;
    private final INDArray bias;

    SoftmaxOutput(ComputationGraph graph) {
        if (!(graph.getLayer(GraphNames.OUTPUT).conf().getLayer() instanceof RnnOutputLayer conf)
                || !(conf.getActivationFn() instanceof ActivationSoftmax)) {
            throw new IllegalArgumentException("the graph's \"" + GraphNames.OUTPUT + "\" layer is not a softmax RnnOutputLayer");
        }
        this.weights = graph.getLayer(GraphNames.OUTPUT).getParam(DefaultParamInitializer.WEIGHT_KEY);
        this.bias = graph.getLayer(GraphNames.OUTPUT).getParam(DefaultParamInitializer.BIAS_KEY);
    }

    /**
     * @param x the output layer's input at one step, [rows, nIn]
     * @return log-probabilities [rows, V]
     */
    INDArray logProbs(INDArray x) {
        return Nd4j.nn().logSoftmax(x.mmul(weights).addiRowVector(bias), 1);
    }
}
