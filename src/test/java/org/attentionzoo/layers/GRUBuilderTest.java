package org.attentionzoo.layers;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.deeplearning4j.nn.conf.distribution.ConstantDistribution;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Builder validation, input/output types, parameter shapes and initialisation of {@link GRU}. */
class GRUBuilderTest {

    private static void assertRejected(String expectedHint, Runnable build) {
        Exception e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().contains(expectedHint), e.getMessage());
    }

    @Test
    void badSettingsAreRejectedWithAHint() {
        assertRejected(".nOut(n)", () -> new GRU.Builder().nIn(3).build());
        assertRejected("nIn must be positive", () -> new GRU.Builder().nIn(-1).nOut(2).build());
        assertRejected("DropoutLayer", () -> new GRU.Builder().nOut(2).dropOut(0.5).build());
        assertRejected("WeightInit.XAVIER", () -> new GRU.Builder().nOut(2).weightInit(WeightInit.DISTRIBUTION).build());
        assertRejected("starts at zero", () -> new GRU.Builder().nOut(2)
                .weightInit(GRU.BIAS_KEY, new WeightInitDistribution(new ConstantDistribution(1))).build());
    }

    @Test
    void typesAndShapes() {
        GRU gru = new GRU.Builder().nOut(4).build();
        gru.setNIn(InputType.recurrent(3, 7), false);
        assertEquals(3, gru.getNIn());
        assertEquals(InputType.recurrent(4, 7), gru.getOutputType(0, InputType.recurrent(3, 7)));
        Map<String, long[]> shapes = gru.getLayerParams().getParamShapes();
        assertEquals("[3, 12]", java.util.Arrays.toString(shapes.get(GRU.INPUT_WEIGHT_KEY)));
        assertEquals("[4, 12]", java.util.Arrays.toString(shapes.get(GRU.RECURRENT_WEIGHT_KEY)));
        assertEquals("[1, 12]", java.util.Arrays.toString(shapes.get(GRU.BIAS_KEY)));
        Exception e = assertThrows(IllegalStateException.class,
                () -> gru.setNIn(InputType.recurrent(3, 7, RNNFormat.NWC), true));
        assertTrue(e.getMessage().contains("RNNFormat.NCW"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> gru.setNIn(InputType.feedForward(3), true));
    }

    @Test
    void initialisationIsPerParameter() {
        ComputationGraph net = GruGraphs.init(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT).seed(5).updater(new NoOp()).graphBuilder()
                .addInputs("in")
                .addLayer("gru", new GRU.Builder().nOut(40).weightInit(WeightInit.XAVIER)
                        .weightInit(GRU.RECURRENT_WEIGHT_KEY, new WeightInitDistribution(new ConstantDistribution(0.25)))
                        .build(), "in")
                .setOutputs("gru").setInputTypes(InputType.recurrent(60)).build());
        Map<String, INDArray> p = net.getLayer("gru").paramTable();
        double std = p.get(GRU.INPUT_WEIGHT_KEY).stdNumber().doubleValue();
        assertEquals(Math.sqrt(2.0 / (60 + 40)), std, 0.01, "XAVIER: std sqrt(2 / (fanIn + fanOut))");
        assertEquals(Nd4j.valueArrayOf(new long[]{40, 120}, 0.25f), p.get(GRU.RECURRENT_WEIGHT_KEY));
        assertEquals(0.0, p.get(GRU.BIAS_KEY).amaxNumber().doubleValue(), 0.0);
    }
}
