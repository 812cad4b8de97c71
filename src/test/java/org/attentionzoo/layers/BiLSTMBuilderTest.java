package org.attentionzoo.layers;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.distribution.ConstantDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Builder validation, input/output types, parameter shapes and initialisation of {@link BiLSTM}. */
class BiLSTMBuilderTest {

    private static void assertRejected(String expectedHint, Runnable build) {
        Exception e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().contains(expectedHint), e.getMessage());
    }

    @Test
    void badSettingsAreRejectedWithAHint() {
        assertRejected(".nOut(n)", () -> new BiLSTM.Builder().nIn(3).build());
        assertRejected("nIn must be positive", () -> new BiLSTM.Builder().nIn(-1).nOut(2).build());
        assertRejected("DropoutLayer", () -> new BiLSTM.Builder().nOut(2).dropOut(0.5).build());
        assertRejected("WeightInit.XAVIER", () -> new BiLSTM.Builder().nOut(2).weightInit(WeightInit.DISTRIBUTION).build());
        assertRejected("finite", () -> new BiLSTM.Builder().nOut(2).forgetGateBiasInit(Double.NaN).build());
        assertRejected("biases start at 0", () -> new BiLSTM.Builder().nOut(2)
                .weightInit(BiLSTM.FWD_BIAS_KEY, new WeightInitDistribution(new ConstantDistribution(1))).build());
    }

    @Test
    void typesAndShapes() {
        BiLSTM enc = new BiLSTM.Builder().nOut(4).build();
        enc.setNIn(InputType.recurrent(3, 7), false);
        assertEquals(3, enc.getNIn());
        assertEquals(InputType.recurrent(8, 7), enc.getOutputType(0, InputType.recurrent(3, 7)), "2 nOut outputs");
        Map<String, long[]> shapes = enc.getLayerParams().getParamShapes();
        for (String key : new String[]{BiLSTM.FWD_INPUT_WEIGHT_KEY, BiLSTM.BWD_INPUT_WEIGHT_KEY}) {
            assertEquals("[3, 16]", Arrays.toString(shapes.get(key)), key);
        }
        for (String key : new String[]{BiLSTM.FWD_RECURRENT_WEIGHT_KEY, BiLSTM.BWD_RECURRENT_WEIGHT_KEY}) {
            assertEquals("[4, 16]", Arrays.toString(shapes.get(key)), key);
        }
        for (String key : new String[]{BiLSTM.FWD_BIAS_KEY, BiLSTM.BWD_BIAS_KEY}) {
            assertEquals("[1, 16]", Arrays.toString(shapes.get(key)), key);
        }
        Exception e = assertThrows(IllegalStateException.class,
                () -> enc.setNIn(InputType.recurrent(3, 7, RNNFormat.NWC), true));
        assertTrue(e.getMessage().contains("RNNFormat.NCW"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> enc.setNIn(InputType.feedForward(3), true));
    }

    @Test
    void initialisationIsPerParameterAndDirectionsDiffer() {
        ComputationGraph net = BiLstmGraphs.init(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT).seed(5).updater(new NoOp()).graphBuilder()
                .addInputs("in")
                .addLayer("enc", new BiLSTM.Builder().nOut(40).forgetGateBiasInit(2.0)
                        .weightInit(BiLSTM.BWD_RECURRENT_WEIGHT_KEY, new WeightInitDistribution(new ConstantDistribution(0.25)))
                        .build(), "in")
                .setOutputs("enc").setInputTypes(InputType.recurrent(60)).build());
        Map<String, INDArray> p = net.getLayer("enc").paramTable();
        double std = p.get(BiLSTM.FWD_INPUT_WEIGHT_KEY).stdNumber().doubleValue();
        assertEquals(Math.sqrt(2.0 / (60 + 40)), std, 0.01, "XAVIER (default): std sqrt(2 / (fanIn + fanOut))");
        assertTrue(!p.get(BiLSTM.FWD_INPUT_WEIGHT_KEY).equals(p.get(BiLSTM.BWD_INPUT_WEIGHT_KEY)), "directions differ");
        assertEquals(Nd4j.valueArrayOf(new long[]{40, 160}, 0.25f), p.get(BiLSTM.BWD_RECURRENT_WEIGHT_KEY));
        assertEquals(2.0, p.get(BiLSTM.FWD_BIAS_KEY).sumNumber().doubleValue() / 40, 1e-6, "forget block only");
    }
}
