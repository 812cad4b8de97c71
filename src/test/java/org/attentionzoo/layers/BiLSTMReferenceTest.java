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
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BiLSTM} in a graph equals {@link ReferenceLstm} (plain INDArray math, each example run over its own
 * real steps only) on the layer's own parameters, forward and backward directions, with ragged lengths:
 * this is where the gate order [i | f | g | o] of libnd4j's lstmLayer, and the claim that the backward
 * direction starts at each example's last real token, were established.
 */
class BiLSTMReferenceTest {

    private static final int MB = 3, N_IN = 4, N_OUT = 5, T = 6;

    @BeforeAll
    static void oneThread() {
        OneThread.use();
    }

    private static ComputationGraph graph(DataType type, long seed) {
        ComputationGraph net = BiLstmGraphs.init(new NeuralNetConfiguration.Builder()
                .dataType(type).seed(3).updater(new NoOp())
                .graphBuilder()
                .addInputs("in")
                .addLayer("enc", new BiLSTM.Builder().nOut(N_OUT).build(), "in")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).nOut(2).build(), "enc")
                .setOutputs("out")
                .setInputTypes(InputType.recurrent(N_IN))
                .build());
        Nd4j.getRandom().setSeed(seed); // after init(), which reseeds ND4J with the configuration's seed
        // Make every bias block different (not just the forget gate) so that the gate order is tested.
        Map<String, INDArray> p = net.getLayer("enc").paramTable();
        p.get(BiLSTM.FWD_BIAS_KEY).assign(Nd4j.rand(type, 1, 4 * N_OUT).muli(2).subi(1));
        p.get(BiLSTM.BWD_BIAS_KEY).assign(Nd4j.rand(type, 1, 4 * N_OUT).muli(2).subi(1));
        return net;
    }

    /** Max |layer - reference| over the whole output (padded steps included: both must be 0 there). */
    private static double maxDiff(ComputationGraph net, INDArray x, int[] lengths) {
        INDArray mask = lengths == null ? null : GruGraphs.mask(x.dataType(), (int) x.size(2), lengths);
        int[] lens = lengths;
        if (lens == null) {
            lens = new int[(int) x.size(0)];
            java.util.Arrays.fill(lens, (int) x.size(2));
        }
        net.clearLayerMaskArrays();
        net.setLayerMaskArrays(mask == null ? null : new INDArray[]{mask}, null);
        INDArray actual = net.feedForward(new INDArray[]{x}, false, false).get("enc");
        net.clearLayerMaskArrays();
        Map<String, INDArray> p = net.getLayer("enc").paramTable();
        INDArray fwd = ReferenceLstm.run(x, lens, p.get(BiLSTM.FWD_INPUT_WEIGHT_KEY),
                p.get(BiLSTM.FWD_RECURRENT_WEIGHT_KEY), p.get(BiLSTM.FWD_BIAS_KEY), false);
        INDArray bwd = ReferenceLstm.run(x, lens, p.get(BiLSTM.BWD_INPUT_WEIGHT_KEY),
                p.get(BiLSTM.BWD_RECURRENT_WEIGHT_KEY), p.get(BiLSTM.BWD_BIAS_KEY), true);
        INDArray expected = Nd4j.concat(1, fwd, bwd);
        assertArrayEquals(expected.shape(), actual.shape());
        return expected.sub(actual).amaxNumber().doubleValue();
    }

    @Test
    void equalsReferenceInDoubleWithRaggedLengths() {
        ComputationGraph net = graph(DataType.DOUBLE, 11);
        double d = maxDiff(net, Nd4j.randn(DataType.DOUBLE, MB, N_IN, T), new int[]{6, 2, 4});
        System.out.println("BiLSTM vs reference, double, ragged: max |diff| " + d);
        assertTrue(d < 1e-10, "max |difference| " + d);
    }

    @Test
    void equalsReferenceInDoubleWithoutMask() {
        ComputationGraph net = graph(DataType.DOUBLE, 12);
        double d = maxDiff(net, Nd4j.randn(DataType.DOUBLE, MB, N_IN, T), null);
        assertTrue(d < 1e-10, "max |difference| " + d);
    }

    @Test
    void equalsReferenceInFloatWithRaggedLengths() {
        ComputationGraph net = graph(DataType.FLOAT, 13);
        double d = maxDiff(net, Nd4j.randn(DataType.FLOAT, MB, N_IN, T), new int[]{3, 6, 1});
        System.out.println("BiLSTM vs reference, float, ragged: max |diff| " + d);
        assertTrue(d < 1e-5, "max |difference| " + d);
    }

    /** One SameDiff graph, built from the first input; later calls change mb and T (T is not baked in). */
    @Test
    void laterCallsMayChangeBatchSizeAndLength() {
        ComputationGraph net = graph(DataType.DOUBLE, 14);
        int[][] lengths = {{6, 2, 4}, {3, 1}, {9, 9, 5, 7}, {1}};
        for (int[] l : lengths) {
            int t = java.util.Arrays.stream(l).max().getAsInt();
            double d = maxDiff(net, Nd4j.randn(DataType.DOUBLE, l.length, N_IN, t), l);
            assertTrue(d < 1e-10, java.util.Arrays.toString(l) + ": max |difference| " + d);
        }
    }

    /** The forget-gate block (gate order [i | f | g | o]) starts at forgetGateBiasInit, the rest at 0. */
    @Test
    void forgetGateBiasStartsAtItsInitValue() {
        ComputationGraph net = BiLstmGraphs.init(BiLstmGraphs.tagger(DataType.FLOAT, 5, 3, N_OUT, 2));
        for (String key : new String[]{BiLSTM.FWD_BIAS_KEY, BiLSTM.BWD_BIAS_KEY}) {
            INDArray b = net.getLayer("enc").getParam(key);
            for (int k = 0; k < 4; k++) {
                INDArray block = b.get(NDArrayIndex.all(), NDArrayIndex.interval(k * N_OUT, (k + 1) * N_OUT));
                double expected = k == BiLSTM.FORGET_GATE_BLOCK ? BiLSTM.DEFAULT_FORGET_GATE_BIAS : 0.0;
                assertEquals(expected, block.minNumber().doubleValue(), 0.0, key + " block " + k);
                assertEquals(expected, block.maxNumber().doubleValue(), 0.0, key + " block " + k);
            }
        }
    }
}
