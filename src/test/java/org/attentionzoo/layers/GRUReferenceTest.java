package org.attentionzoo.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GRU} in a graph equals {@link ReferenceGru} (plain INDArray math) on the layer's own parameters:
 * this is where the gate order [r | u | c] and the equations in GRU's Javadoc were established.
 */
class GRUReferenceTest {

    @BeforeAll
    static void oneThread() {
        OneThread.use();
    }


    private static final int MB = 3, N_IN = 4, N_OUT = 5, T = 6;

    private static ComputationGraph graph(DataType type) {
        ComputationGraph net = GruGraphs.init(new NeuralNetConfiguration.Builder()
                .dataType(type).seed(3).updater(new NoOp())
                .graphBuilder()
                .addInputs("in")
                .addLayer("gru", new GRU.Builder().nOut(N_OUT).build(), "in")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).nOut(2).build(), "gru")
                .setOutputs("out")
                .setInputTypes(InputType.recurrent(N_IN))
                .build());
        // Biases start at zero; make them non-zero so that their placement is tested too.
        Map<String, INDArray> p = net.getLayer("gru").paramTable();
        p.get(GRU.BIAS_KEY).assign(Nd4j.rand(type, 1, 3 * N_OUT).subi(0.5));
        return net;
    }

    private static double maxDiff(ComputationGraph net, INDArray x) {
        INDArray actual = net.feedForward(new INDArray[]{x}, false).get("gru");
        Map<String, INDArray> p = net.getLayer("gru").paramTable();
        INDArray expected = ReferenceGru.forward(x, p.get(GRU.INPUT_WEIGHT_KEY), p.get(GRU.RECURRENT_WEIGHT_KEY),
                p.get(GRU.BIAS_KEY));
        assertArrayEquals(expected.shape(), actual.shape());
        return expected.sub(actual).amaxNumber().doubleValue();
    }

    @Test
    void equalsReferenceInDouble() {
        Nd4j.getRandom().setSeed(11);
        ComputationGraph net = graph(DataType.DOUBLE);
        double d = maxDiff(net, Nd4j.randn(DataType.DOUBLE, MB, N_IN, T));
        assertTrue(d < 1e-10, "max |difference| " + d);
    }

    @Test
    void equalsReferenceInFloat() {
        Nd4j.getRandom().setSeed(12);
        ComputationGraph net = graph(DataType.FLOAT);
        double d = maxDiff(net, Nd4j.randn(DataType.FLOAT, MB, N_IN, T));
        assertTrue(d < 1e-5, "max |difference| " + d);
    }

    /** The SameDiff graph is built from the first input's shape; later calls may change mb and T. */
    @Test
    void laterCallsMayChangeBatchSizeAndLength() {
        Nd4j.getRandom().setSeed(13);
        ComputationGraph net = graph(DataType.DOUBLE);
        int[][] shapes = {{MB, T}, {2, 3}, {4, 9}, {1, 1}};
        for (int[] s : shapes) {
            double d = maxDiff(net, Nd4j.randn(DataType.DOUBLE, s[0], N_IN, s[1]));
            assertTrue(d < 1e-10, "mb=" + s[0] + " T=" + s[1] + ": max |difference| " + d);
        }
    }
}
