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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Padding invariance: a right-padded batch through {@link BiLSTM} gives, at each example's real steps,
 * the outputs of that example run alone without padding (so the backward direction starts at the last
 * real token), exactly 0 at padded steps, and is unaffected by whatever the input holds at padded steps.
 */
class BiLSTMMaskTest {

    private static final int N_IN = 3, N_OUT = 4, T = 7;
    private static final int[] LENGTHS = {7, 2, 5, 1};

    @BeforeAll
    static void oneThread() {
        OneThread.use();
    }

    private static ComputationGraph graph(DataType type) {
        ComputationGraph net = BiLstmGraphs.init(new NeuralNetConfiguration.Builder()
                .dataType(type).seed(7).updater(new NoOp())
                .graphBuilder()
                .addInputs("in")
                .addLayer("enc", new BiLSTM.Builder().nOut(N_OUT).build(), "in")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).nOut(2).build(), "enc")
                .setOutputs("out").setInputTypes(InputType.recurrent(N_IN)).build());
        return net;
    }

    private static INDArray encode(ComputationGraph net, INDArray x, INDArray mask) {
        net.clearLayerMaskArrays();
        net.setLayerMaskArrays(mask == null ? null : new INDArray[]{mask}, null);
        INDArray out = net.feedForward(new INDArray[]{x}, false, false).get("enc").dup();
        net.clearLayerMaskArrays();
        return out;
    }

    private static void check(DataType type, double tolerance) {
        ComputationGraph net = graph(type);
        Nd4j.getRandom().setSeed(type == DataType.DOUBLE ? 71 : 72);
        INDArray x = Nd4j.randn(type, LENGTHS.length, N_IN, T);
        INDArray mask = GruGraphs.mask(type, T, LENGTHS);
        INDArray batch = encode(net, x, mask);
        // Garbage (large, finite) at the padded steps must change nothing.
        INDArray noisy = x.add(Nd4j.randn(type, x.shape()).muli(1e3).muli(Nd4j.expandDims(mask.rsub(1.0), 1)
                .broadcast(x.shape())));
        INDArray noisyBatch = encode(net, noisy, mask);
        assertEquals(0.0, batch.sub(noisyBatch).amaxNumber().doubleValue(), 0.0, "input at padded steps leaked");

        double worst = 0;
        for (int i = 0; i < LENGTHS.length; i++) {
            int len = LENGTHS[i];
            INDArray alone = x.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.interval(0, len)).dup();
            INDArray expected = encode(net, alone, null);                                    // [1, 2 N_OUT, len]
            INDArray real = batch.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(), NDArrayIndex.interval(0, len));
            worst = Math.max(worst, expected.sub(real).amaxNumber().doubleValue());
            if (len < T) {
                INDArray padded = batch.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.interval(len, T));
                assertEquals(0.0, padded.amaxNumber().doubleValue(), 0.0, "padded steps of example " + i);
            }
        }
        System.out.println("BiLSTM padding invariance, " + type + ": max |batch - alone| at real steps " + worst);
        assertTrue(worst < tolerance, "max |batch - alone| " + worst);
    }

    @Test
    void paddedBatchEqualsSequencesAloneInDouble() {
        check(DataType.DOUBLE, 1e-10);
    }

    @Test
    void paddedBatchEqualsSequencesAloneInFloat() {
        check(DataType.FLOAT, 1e-5);
    }
}
