package org.attentionzoo.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
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

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How DL4J's built-in {@code Bidirectional(CONCAT, LSTM)} treats a right-padded input mask in a
 * ComputationGraph, for the choice between it and {@link BiLSTM}: it ignores it (see the first test), so
 * its backward direction starts at the padding.
 */
class BuiltInBidirectionalMaskTest {

    private static final int N_IN = 3, N_OUT = 4, T = 6;
    private static final int[] LENGTHS = {6, 2, 4, 1};

    @BeforeAll
    static void oneThread() {
        OneThread.use();
    }

    private static ComputationGraph graph(Layer encoder) {
        return BiLstmGraphs.init(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(9).updater(new NoOp())
                .graphBuilder()
                .addInputs("in")
                .addLayer("enc", encoder, "in")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).nOut(2).build(), "enc")
                .setOutputs("out").setInputTypes(InputType.recurrent(N_IN)).build());
    }

    private static ComputationGraph builtIn() {
        return graph(new Bidirectional(Bidirectional.Mode.CONCAT, new LSTM.Builder().nOut(N_OUT)
                .activation(Activation.TANH).gateActivationFunction(Activation.SIGMOID).dataFormat(RNNFormat.NCW).build()));
    }

    private static INDArray encode(ComputationGraph net, INDArray x, INDArray mask) {
        net.clearLayerMaskArrays();
        net.setLayerMaskArrays(mask == null ? null : new INDArray[]{mask}, null);
        INDArray out = net.feedForward(new INDArray[]{x}, false, false).get("enc").dup();
        net.clearLayerMaskArrays();
        return out;
    }

    /**
     * Documents DL4J behaviour, and is the alarm for an upgrade that changes it: in a ComputationGraph the
     * built-in layer does not see the input mask in the forward pass. {@code LSTM.feedForwardMaskArray}
     * (which is all ComputationGraph calls for a hidden layer; only MultiLayerNetwork also calls
     * {@code setMaskArray}) does not store it, so the LSTM runs over the padding: padded steps output
     * non-zero values, and the backward direction starts at step T-1 (padding), not at the last real token.
     */
    @Test
    void builtInBidirectionalIgnoresTheInputMaskInAComputationGraph() {
        ComputationGraph net = builtIn();
        Nd4j.getRandom().setSeed(91);
        INDArray x = Nd4j.randn(DataType.DOUBLE, LENGTHS.length, N_IN, T);
        INDArray batch = encode(net, x, GruGraphs.mask(DataType.DOUBLE, T, LENGTHS));
        double fwdReal = 0, bwdReal = 0, padded = 0;
        for (int i = 0; i < LENGTHS.length; i++) {
            int len = LENGTHS[i];
            INDArray alone = encode(net, x.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(),
                    NDArrayIndex.interval(0, len)).dup(), null);
            INDArray real = batch.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.interval(0, len));
            INDArray diff = alone.sub(real);
            fwdReal = Math.max(fwdReal, diff.get(NDArrayIndex.all(), NDArrayIndex.interval(0, N_OUT), NDArrayIndex.all())
                    .amaxNumber().doubleValue());
            bwdReal = Math.max(bwdReal, diff.get(NDArrayIndex.all(), NDArrayIndex.interval(N_OUT, 2 * N_OUT),
                    NDArrayIndex.all()).amaxNumber().doubleValue());
            if (len < T) {
                padded = Math.max(padded, batch.get(NDArrayIndex.point(i), NDArrayIndex.all(),
                        NDArrayIndex.interval(len, T)).amaxNumber().doubleValue());
            }
        }
        System.out.println("Built-in Bidirectional(LSTM) in a ComputationGraph, padded batch vs sequences alone: "
                + "max |diff| forward half " + fwdReal + ", backward half " + bwdReal + "; max |output| at padded steps "
                + padded);
        assertTrue(fwdReal < 1e-10, "forward direction at real steps cannot see later padding: " + fwdReal);
        assertTrue(bwdReal > 1e-3, "backward direction now ignores the padding: DL4J changed, update BiLSTM's "
                + "Javadoc (" + bwdReal + ")");
        assertTrue(padded > 1e-3, "padded steps are now 0: DL4J changed, update BiLSTM's Javadoc (" + padded + ")");
    }
}
