package org.attentionzoo.layers;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GemmLstm} against DL4J's LSTM (same parameters: same outputs, scores, gradients and training steps) and
 * against central finite differences, in double precision, with ragged masks and two stacked layers (so the
 * gradient with respect to the input is checked as well).
 */
class GemmLstmTest {

    private static final int N_IN = 4;
    private static final int HIDDEN = 3;
    private static final int CLASSES = 5;
    private static final int STEPS = 5;

    private static ComputationGraph graph(DataType type, Function<LSTM, LSTM> wrap) {
        return graph(type, wrap, new Sgd(0.5));
    }

    private static ComputationGraph graph(DataType type, Function<LSTM, LSTM> wrap, IUpdater updater) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(type).seed(7).updater(updater).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.recurrent(N_IN))
                .addLayer("lstm1", wrap.apply(lstm(N_IN)), "in")
                .addLayer("lstm2", wrap.apply(lstm(HIDDEN)), "lstm1")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(HIDDEN).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build(), "lstm2")
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static LSTM lstm(int nIn) {
        return new LSTM.Builder().nIn(nIn).nOut(HIDDEN).activation(Activation.TANH).build();
    }

    private static MultiDataSet batch(DataType type) {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 3, N_IN, STEPS).castTo(type);
        INDArray labels = GradientChecks.labels(3, CLASSES, STEPS, 9).castTo(type);
        INDArray mask = GradientChecks.mask(STEPS, 5, 3, 1).castTo(type);
        return new MultiDataSet(new INDArray[]{x}, new INDArray[]{labels}, new INDArray[]{mask}, new INDArray[]{mask});
    }

    /** Both graphs on the same batch: outputs, then score and gradients of one backward pass. */
    private static ComputationGraph[] pair(DataType type) {
        ComputationGraph dl4j = graph(type, c -> c);
        ComputationGraph ours = graph(type, GemmLstm::of);
        ours.setParams(dl4j.params().dup());
        assertInstanceOf(GemmLstm.Runtime.class, ours.getLayer("lstm1"));
        return new ComputationGraph[]{dl4j, ours};
    }

    private static void backward(ComputationGraph g, MultiDataSet data) {
        g.setInputs(data.getFeatures());
        g.setLabels(data.getLabels());
        g.setLayerMaskArrays(data.getFeaturesMaskArrays(), data.getLabelsMaskArrays());
        g.computeGradientAndScore();
    }

    @Test
    void computesWhatDl4jsLstmComputes() {
        ComputationGraph[] g = pair(DataType.DOUBLE);
        MultiDataSet data = batch(DataType.DOUBLE);
        INDArray expected = g[0].output(false, data.getFeatures(), data.getFeaturesMaskArrays())[0];
        INDArray actual = g[1].output(false, data.getFeatures(), data.getFeaturesMaskArrays())[0];
        assertTrue(expected.equalsWithEps(actual, 1e-12), "outputs");
        INDArray h1 = g[0].feedForward(data.getFeatures(), true).get("lstm1");
        assertTrue(h1.equalsWithEps(g[1].feedForward(data.getFeatures(), true).get("lstm1"), 1e-12), "hidden states");

        backward(g[0], data);
        backward(g[1], data);
        assertEquals(g[0].score(), g[1].score(), 1e-12);
        INDArray grads = g[0].getGradientsViewArray();
        assertTrue(grads.amaxNumber().doubleValue() > 1e-3, "a gradient to compare");
        assertTrue(grads.equalsWithEps(g[1].getGradientsViewArray(), 1e-10),
                "gradients\n" + grads + "\n" + g[1].getGradientsViewArray());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        ComputationGraph ours = graph(DataType.DOUBLE, GemmLstm::of, new NoOp());     // as GradientChecks expects
        MultiDataSet data = batch(DataType.DOUBLE);
        GradientChecks.Report report = GradientChecks.measure(ours, data.getFeatures(), data.getLabels(),
                data.getFeaturesMaskArrays(), data.getLabelsMaskArrays());
        assertTrue(report.maxRelError() < 1e-6, report.toString());
        report.ratioByParam().forEach((param, ratio) -> assertEquals(1.0, ratio, 1e-6, param));
    }

    @Test
    void trainsAsDl4jTrains() {
        ComputationGraph[] g = pair(DataType.DOUBLE);
        MultiDataSet data = batch(DataType.DOUBLE);
        INDArray before = g[0].params().dup();
        for (int i = 0; i < 3; i++) {
            g[0].fit(data);
            g[1].fit(data);
        }
        assertTrue(g[0].params().sub(before).amaxNumber().doubleValue() > 1e-3, "the parameters moved");
        assertTrue(g[0].params().equalsWithEps(g[1].params(), 1e-10), "parameters after three steps");
    }

    @Test
    void floatAgreesWithDouble() {
        ComputationGraph reference = pair(DataType.DOUBLE)[1];
        ComputationGraph single = graph(DataType.FLOAT, GemmLstm::of);
        single.setParams(reference.params().castTo(DataType.FLOAT));
        backward(reference, batch(DataType.DOUBLE));
        backward(single, batch(DataType.FLOAT));
        INDArray expected = reference.getGradientsViewArray();
        INDArray actual = single.getGradientsViewArray().castTo(DataType.DOUBLE);
        double scale = expected.amaxNumber().doubleValue();
        assertTrue(actual.sub(expected).amaxNumber().doubleValue() < 1e-5 * scale, "float gradients");
    }

    /** A backward pass with no kept forward pass of its input (a cache miss) runs the forward pass again. */
    @Test
    void backwardWithoutAKeptForwardPass() {
        ComputationGraph ours = pair(DataType.DOUBLE)[1];
        ours.initGradientsView();
        GemmLstm.Runtime layer = (GemmLstm.Runtime) ours.getLayer("lstm1");
        INDArray x = batch(DataType.DOUBLE).getFeatures(0);
        INDArray eps = Nd4j.randn(DataType.DOUBLE, 3, HIDDEN, STEPS);
        LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();

        layer.activate(x, true, none);
        Pair<Gradient, INDArray> kept = layer.backpropGradient(eps, none);
        INDArray keptGrads = ours.getGradientsViewArray().dup();
        INDArray keptEps = kept.getSecond().dup();

        layer.activate(x.dup(), true, none);                           // a forward pass of another array...
        layer.setInput(x, none);                                       // ...then the backward pass of this one
        Pair<Gradient, INDArray> again = layer.backpropGradient(eps, none);
        assertTrue(keptGrads.equalsWithEps(ours.getGradientsViewArray(), 1e-14), "parameter gradients");
        assertTrue(keptEps.equalsWithEps(again.getSecond(), 1e-14), "input gradient");
        assertTrue(keptEps.amaxNumber().doubleValue() > 0, "a gradient to compare");
    }

    @Test
    void survivesJson() {
        ComputationGraph ours = graph(DataType.FLOAT, GemmLstm::of);
        ComputationGraphConfiguration copy = ComputationGraphConfiguration.fromJson(ours.getConfiguration().toJson());
        ComputationGraph reloaded = new ComputationGraph(copy);
        reloaded.init(ours.params().dup(), false);
        assertInstanceOf(GemmLstm.Runtime.class, reloaded.getLayer("lstm2"));
        MultiDataSet data = batch(DataType.FLOAT);
        assertTrue(ours.outputSingle(data.getFeatures(0)).equalsWithEps(reloaded.outputSingle(data.getFeatures(0)), 1e-6));
    }
}
