package org.attentionzoo.decode.incremental;

import org.attentionzoo.models.GraphNames;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The zoo graphs' softmax output layer ({@link GraphNames#OUTPUT}, an {@code RnnOutputLayer}) at one step,
 * as logits z ({@link #logits}: greedy decoding needs only argmax_y z_y, the most probable token) or as
 * log-probabilities ({@link #logProbs}):
 * <pre>
 *   log p(y | ·) = log softmax(x W + b)_y = z_y − log Σ_v exp(z_v),   z = x W + b,  W [nIn, V],  b [1, V]
 * </pre>
 * computed as a log-softmax, in the parameters' data type (no probability is rounded to 0 first): z − max_v z_v
 * minus the log of the row's sum of exp(z − max), in place where it can be (libnd4j's log_softmax op takes
 * the log of every softmax entry and took about twice as long at [64, 8000]). The logits are computed as
 * zᵀ = Wᵀ xᵀ into a column-major buffer, which is z row-major, as in
 * {@link org.attentionzoo.layers.GemmOutputLayer} (4.8 vs 2.8 ms for [64, 256] x [256, 8000] on one core), from
 * {@value #TRANSPOSED_PRODUCT_ROWS} rows on.
 */
final class SoftmaxOutput {

    /**
     * From this many rows on, the logits are computed as the transpose of Wᵀ xᵀ; below, as x W, which ND4J
     * runs as a matrix-vector product (0.35 vs 0.80 ms at one row, even at 16: measured on one core).
     */
    private static final int TRANSPOSED_PRODUCT_ROWS = 16;

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
        return logSoftmaxInPlace(logits(x));
    }

    /**
     * The logits z = x W + b, whose row-wise argmax is the most probable token.
     *
     * @param x the output layer's input at one step, [rows, nIn]
     * @return z [rows, V], row-major
     */
    INDArray logits(INDArray x) {
        INDArray in = x.castTo(weights.dataType());
        INDArray z;
        if (x.size(0) < TRANSPOSED_PRODUCT_ROWS) {
            z = in.mmul(weights);                                                  // a matrix-vector product
        } else {
            INDArray zT = Nd4j.createUninitialized(weights.dataType(), new long[]{weights.size(1), x.size(0)}, 'f');
            Nd4j.gemm(weights, in, zT, true, true, 1.0, 0.0);                      // zᵀ = Wᵀ xᵀ, see above
            z = zT.transpose();                                                    // [rows, V], row-major
        }
        return z.addiRowVector(bias);
    }

    /** log softmax of each row of {@code z} [rows, V], computed in {@code z}'s memory, which it returns. */
    static INDArray logSoftmaxInPlace(INDArray z) {
        z.subiColumnVector(z.max(true, 1));                                      // z − max: exp cannot overflow
        INDArray logSum = Transforms.log(Transforms.exp(z, true).sum(true, 1), false);
        return z.subiColumnVector(logSum);
    }
}
