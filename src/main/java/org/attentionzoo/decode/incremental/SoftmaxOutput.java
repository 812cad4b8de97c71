package org.attentionzoo.decode.incremental;

import org.attentionzoo.models.GraphNames;
import org.attentionzoo.util.DirectMatmul;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The zoo graphs' softmax output layer ({@link GraphNames#OUTPUT}, an {@code RnnOutputLayer}) at one step,
 * as logits z ({@link #logits}: greedy decoding needs only argmax_y z_y, the most probable token), which
 * {@link #logSoftmaxInPlace} turns into log-probabilities:
 * <pre>
 *   log p(y | ·) = log softmax(x W + b)_y = z_y − log Σ_v exp(z_v),   z = x W + b,  W [nIn, V],  b [1, V]
 * </pre>
 * computed as a log-softmax, in the parameters' data type (no probability is rounded to 0 first): z − max_v z_v
 * minus the log of the row's sum of exp(z − max), in place where it can be (libnd4j's log_softmax op takes
 * the log of every softmax entry). The logits come from {@link DirectMatmul} (OpenBLAS on the arrays' memory:
 * at one row a matrix-vector product). The bias rides in the product as one more input row, z = [x ; 1] [W ; b]
 * ({@link DerivedArray}), instead of a pass of its own over the [rows, V] logits.
 */
final class SoftmaxOutput {

    private final INDArray weights;
    /** [W ; b], [nIn + 1, V], column-major as DL4J keeps W. */
    private final DerivedArray joined;

    SoftmaxOutput(ComputationGraph graph) {
        if (!(graph.getLayer(GraphNames.OUTPUT).conf().getLayer() instanceof RnnOutputLayer conf)
                || !(conf.getActivationFn() instanceof ActivationSoftmax)) {
            throw new IllegalArgumentException("the graph's \"" + GraphNames.OUTPUT + "\" layer is not a softmax RnnOutputLayer");
        }
        this.weights = graph.getLayer(GraphNames.OUTPUT).getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray bias = graph.getLayer(GraphNames.OUTPUT).getParam(DefaultParamInitializer.BIAS_KEY);
        this.joined = DerivedArray.of(graph, GraphNames.OUTPUT + " [W ; b]", () -> {
            long nIn = weights.size(0);
            INDArray wb = Nd4j.createUninitialized(weights.dataType(), new long[]{nIn + 1, weights.size(1)}, 'f');
            wb.get(NDArrayIndex.interval(0, nIn), NDArrayIndex.all()).assign(weights);
            wb.getRow(nIn).assign(bias.reshape(weights.size(1)));
            return wb;
        });
    }

    /**
     * The logits z = x W + b, whose row-wise argmax is the most probable token.
     *
     * @param x the output layer's input at one step, [rows, nIn]
     * @return z [rows, V], row-major for float parameters
     */
    INDArray logits(INDArray x) {
        long nIn = weights.size(0);
        INDArray withOne = Nd4j.createUninitialized(weights.dataType(), new long[]{x.size(0), nIn + 1}, 'c');   // [x ; 1]
        withOne.get(NDArrayIndex.all(), NDArrayIndex.interval(0, nIn)).assign(x);
        withOne.getColumn(nIn).assign(1);
        return DirectMatmul.mmul(withOne, joined.get());
    }

    /** log softmax of each row of {@code z} [rows, V], computed in {@code z}'s memory, which it returns. */
    static INDArray logSoftmaxInPlace(INDArray z) {
        z.subiColumnVector(z.max(true, 1));                                      // z − max: exp cannot overflow
        INDArray logSum = Transforms.log(Transforms.exp(z, true).sum(true, 1), false);
        return z.subiColumnVector(logSum);
    }
}
