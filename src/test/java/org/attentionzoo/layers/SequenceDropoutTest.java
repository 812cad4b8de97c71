package org.attentionzoo.layers;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SequenceDropoutTest {

    private static ComputationGraph graph(double p) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).graphBuilder()
                .addInputs("in").setInputTypes(InputType.recurrent(50))
                .addLayer("drop", new SequenceDropout(p), "in")
                .setOutputs("drop").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    @Test
    void dropsAtTheRateScalesSurvivorsAndZeroesPaddedSteps() {
        ComputationGraph g = graph(0.25);
        INDArray x = Nd4j.ones(DataType.FLOAT, 8, 50, 10);
        INDArray mask = Nd4j.ones(DataType.FLOAT, 8, 10);
        mask.putScalar(0, 9, 0);
        mask.putScalar(3, 7, 0);
        g.setLayerMaskArrays(new INDArray[]{mask}, null);
        INDArray out = g.feedForward(new INDArray[]{x}, true, false).get("drop");
        g.clearLayerMaskArrays();
        long kept = 0;
        for (long i = 0; i < out.length(); i++) {
            double v = out.getDouble(i);
            if (v != 0) {
                assertEquals(1 / 0.75, v, 1e-6, "survivors are scaled by 1/(1-p)");
                kept++;
            }
        }
        for (int d = 0; d < 50; d++) {
            assertEquals(0.0, out.getDouble(0, d, 9));
            assertEquals(0.0, out.getDouble(3, d, 7));
        }
        double keptFraction = kept / (double) (8 * 50 * 10 - 2 * 50);
        assertEquals(0.75, keptFraction, 0.03, "keep rate 1 - p over 3,900 real units");
        INDArray inference = g.output(false, new INDArray[]{x}, new INDArray[]{mask})[0];
        assertEquals(Nd4j.ones(DataType.FLOAT, 8, 50, 10).muli(mask.reshape(8, 1, 10)), inference,
                "no dropout at inference, only the mask");
    }

    @Test
    void refusesProbabilitiesOutsideTheRange() {
        assertThrows(IllegalArgumentException.class, () -> new SequenceDropout(1.0));
        assertThrows(IllegalArgumentException.class, () -> new SequenceDropout(-0.1));
    }
}
