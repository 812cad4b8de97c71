package org.attentionzoo.layers;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves the DL4J M2.1 doubled-gradient bug of SameDiff layers and the {@link GradientFix} workaround, on
 * the graph  input -> DenseLayer (built-in, "below") -> TanhDenseSd (SameDiff) -> OutputLayer (MSE).
 * If the "without fix" test fails because the ratio is 1, DL4J fixed the bug: make
 * {@link GradientFix#halveGradient} the identity.
 */
class GradientFixTest {

    @BeforeAll
    static void oneThread() {
        OneThread.use();
    }


    private static ComputationGraph graph(boolean applyFix) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(12345).updater(new NoOp())
                .graphBuilder()
                .addInputs("in")
                .addLayer("below", new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build(), "in")
                .addLayer("sd", new TanhDenseSd(4, 5, applyFix), "below")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(5).nOut(2).activation(Activation.IDENTITY).build(), "sd")
                .setOutputs("out")
                .setInputTypes(InputType.feedForward(3))
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    private static GradientChecks.Report measure(boolean applyFix) {
        return GradientChecks.inDoublePrecision(() -> {
            ComputationGraph net = graph(applyFix);
            Nd4j.getRandom().setSeed(7);
            INDArray[] in = {Nd4j.rand(DataType.DOUBLE, 4, 3).subi(0.5)};
            INDArray[] labels = {Nd4j.rand(DataType.DOUBLE, 4, 2)};
            GradientChecks.Report r = GradientChecks.measure(net, in, labels, null, null);
            boolean passes = GradientChecks.passes(net, in, labels, null, null);
            assertEquals(applyFix, passes, "GradientCheckUtil verdict");
            return r;
        });
    }

    @Test
    void withoutFixEveryGradientAtAndBelowTheSameDiffLayerIsDoubled() {
        GradientChecks.Report r = measure(false);
        System.out.println("without fix: " + r);
        for (String key : new String[]{"below_W", "below_b", "sd_W", "sd_b"}) {
            assertEquals(2.0, r.ratioByParam().get(key), 1e-6, key);
        }
        assertEquals(1.0, r.ratioByParam().get("out_W"), 1e-6, "layer above is unaffected");
        assertEquals(1.0 / 3.0, r.maxRelError(), 1e-6, "|2n - n| / (2n + n)");
    }

    @Test
    void withFixEveryGradientIsRight() {
        GradientChecks.Report r = measure(true);
        System.out.println("with fix: " + r);
        r.ratioByParam().forEach((key, ratio) -> assertEquals(1.0, ratio, 1e-6, key));
        assertTrue(r.maxRelError() < 1e-6, "max rel error " + r.maxRelError());
    }

    @Test
    void fixDoesNotChangeTheForwardPass() {
        GradientChecks.inDoublePrecision(() -> {
            INDArray in = Nd4j.rand(DataType.DOUBLE, 4, 3);
            INDArray a = graph(false).outputSingle(in);
            INDArray b = graph(true).outputSingle(in);
            assertEquals(a, b);
            assertFalse(a.isEmpty());
            return null;
        });
    }
}
