package org.attentionzoo.layers;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.rnn.ReverseTimeSeriesVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * SequenceReverse gives DL4J's ReverseTimeSeriesVertex's outputs and gradients: bitwise in float (the same
 * copies, the same LSTM arithmetic around them), and through DL4J's own code for what it does not handle.
 */
class SequenceReverseTest {

    /** in [n, 3, T] → LSTM(4) → reverse → RnnOutputLayer(2, MSE): the reverse's backward pass feeds the LSTM's gradients. */
    private static ComputationGraph graph(GraphVertex reverse, DataType type) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(type)
                .updater(new Sgd(0.1)).graphBuilder()
                .addInputs("in").setInputTypes(InputType.recurrent(3))
                .addLayer("lstm", new LSTM.Builder().nIn(3).nOut(4).build(), "in")
                .addVertex("reversed", reverse, "lstm")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).nIn(4).nOut(2).build(), "reversed")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static void sameAsDl4j(double[][] mask, DataType type) {
        int n = mask.length;
        int t = mask[0].length;
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(type, n, 3, t);
        INDArray y = Nd4j.randn(type, n, 2, t);
        INDArray m = Nd4j.createFromArray(mask).castTo(type);
        ComputationGraph dl4j = graph(new ReverseTimeSeriesVertex("in"), type);
        ComputationGraph ours = graph(new SequenceReverse("in"), type);
        ours.setParams(dl4j.params());

        INDArray expected = dl4j.output(false, new INDArray[]{x}, new INDArray[]{m})[0];
        INDArray actual = ours.output(false, new INDArray[]{x}, new INDArray[]{m})[0];
        assertArrayEquals(expected.dup('c').data().asDouble(), actual.dup('c').data().asDouble(), 0.0, "outputs");

        for (ComputationGraph g : new ComputationGraph[]{dl4j, ours}) {
            g.setInputs(x);
            g.setLabels(y);
            g.setLayerMaskArrays(new INDArray[]{m}, new INDArray[]{m});
            g.computeGradientAndScore();
        }
        assertEquals(dl4j.score(), ours.score(), 0.0);
        assertArrayEquals(dl4j.getGradientsViewArray().toDoubleVector(), ours.getGradientsViewArray().toDoubleVector(),
                0.0, "gradients: the reverse's backward pass reaches the LSTM as DL4J's does");
    }

    @Test
    void prefixMasksOfEveryLength() {
        sameAsDl4j(new double[][]{{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}, {1, 0, 0, 0, 0}, {1, 1, 1, 1, 0}}, DataType.FLOAT);
    }

    @Test
    void aMaskWithAHoleGoesToDl4jsCode() {
        sameAsDl4j(new double[][]{{1, 1, 0, 1, 0}, {0, 1, 1, 1, 1}, {1, 1, 1, 0, 0}}, DataType.FLOAT);
    }

    @Test
    void doublesGoToDl4jsCode() {
        sameAsDl4j(new double[][]{{1, 1, 1, 0}, {1, 1, 1, 1}}, DataType.DOUBLE);
    }

    @Test
    void noMaskReversesWholeRows() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 4);
        ComputationGraph ours = graph(new SequenceReverse("in"), DataType.FLOAT);
        ComputationGraph dl4j = graph(new ReverseTimeSeriesVertex("in"), DataType.FLOAT);
        ours.setParams(dl4j.params());
        assertArrayEquals(dl4j.outputSingle(x).dup('c').data().asDouble(), ours.outputSingle(x).dup('c').data().asDouble(),
                0.0);
    }

    @Test
    void survivesJsonAsItself() {
        ComputationGraph g = graph(new SequenceReverse("in"), DataType.FLOAT);
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(g.getConfiguration().toJson());
        assertInstanceOf(SequenceReverse.class, back.getVertices().get("reversed"));
        assertEquals(g.getConfiguration().getVertices().get("reversed"), back.getVertices().get("reversed"));
    }
}
