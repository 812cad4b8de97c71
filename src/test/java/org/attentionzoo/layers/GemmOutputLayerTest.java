package org.attentionzoo.layers;

import org.attentionzoo.optim.LabelSmoothedCrossEntropy;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GemmOutputLayerTest {

    private static final int N_IN = 5;
    private static final int VOCAB = 7;

    private static ComputationGraph graph(ILossFunction loss, Function<RnnOutputLayer, RnnOutputLayer> wrap) {
        RnnOutputLayer out = new RnnOutputLayer.Builder(loss).nIn(N_IN).nOut(VOCAB).activation(Activation.SOFTMAX)
                .dataFormat(RNNFormat.NCW).build();
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(5).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.recurrent(N_IN))
                .addLayer("out", wrap.apply(out), "in")
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /** Output, score and every parameter gradient of two graphs with the same parameters, on a masked batch. */
    private static void assertSameAsDl4j(ILossFunction loss) {
        ComputationGraph dl4j = graph(loss, c -> c);
        ComputationGraph ours = graph(loss, GemmOutputLayer::of);
        ours.setParams(dl4j.params().dup());
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 3, N_IN, 4);
        INDArray labels = Nd4j.createFromArray(new double[][][]{{{1, 6, 0, 2}}, {{3, 3, 5, 0}}, {{4, 0, 0, 0}}});
        INDArray mask = Nd4j.createFromArray(new double[][]{{1, 1, 1, 1}, {1, 1, 1, 0}, {1, 0, 0, 0}});

        assertTrue(dl4j.outputSingle(x).equalsWithEps(ours.outputSingle(x), 1e-12), "softmax outputs");
        for (ComputationGraph g : new ComputationGraph[]{dl4j, ours}) {
            g.setInputs(x);
            g.setLabels(labels);
            g.setLayerMaskArrays(new INDArray[]{mask}, new INDArray[]{mask});
            g.computeGradientAndScore();
        }
        assertEquals(dl4j.score(), ours.score(), 1e-12);
        assertTrue(dl4j.getGradientsViewArray().equalsWithEps(ours.getGradientsViewArray(), 1e-12), "gradients");
        assertTrue(dl4j.getGradientsViewArray().amaxNumber().doubleValue() > 0, "a gradient to compare");
    }

    @Test
    void computesWhatDl4jsRnnOutputLayerComputes() {
        assertSameAsDl4j(new LossSparseMCXENT());
        assertSameAsDl4j(new LabelSmoothedCrossEntropy(0.1));
    }

    private static final INDArray LABELS = Nd4j.createFromArray(new double[][][]{{{1, 2, 3}}, {{4, 5, 6}}});

    /** DL4J's output layer and ours with the same parameters, label-smoothed loss, a fixed random seed. */
    private static ComputationGraph[] smoothedPair() {
        LabelSmoothedCrossEntropy loss = new LabelSmoothedCrossEntropy(0.1);
        ComputationGraph dl4j = graph(loss, c -> c);
        ComputationGraph ours = graph(loss, GemmOutputLayer::of);
        ours.setParams(dl4j.params().dup());
        Nd4j.getRandom().setSeed(4);
        return new ComputationGraph[]{dl4j, ours};
    }

    @Test
    void aTrainingStepTakesItsScoreFromTheBackwardPass() {
        ComputationGraph[] graphs = smoothedPair();
        ComputationGraph dl4j = graphs[0];
        ComputationGraph ours = graphs[1];
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, N_IN, 3);
        INDArray mask = Nd4j.createFromArray(new double[][]{{1, 1, 1}, {1, 1, 0}});
        var data = new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[]{x}, new INDArray[]{LABELS},
                new INDArray[]{mask}, new INDArray[]{mask});
        for (int step = 0; step < 3; step++) {
            dl4j.fit(data);
            ours.fit(data);
            assertEquals(dl4j.score(), ours.score(), 1e-12, "step " + step);
        }
        assertTrue(dl4j.params().equalsWithEps(ours.params(), 1e-12), "the same updates");
        assertEquals(3, ((GemmOutputLayer.Runtime) ours.getLayer("out")).reusedScores());
    }

    @Test
    void theScoreOfOtherDataIsComputedNotTakenFromTheLastBackwardPass() {
        ComputationGraph[] graphs = smoothedPair();
        ComputationGraph dl4j = graphs[0];
        ComputationGraph ours = graphs[1];
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, N_IN, 3);
        ours.setInputs(x);
        ours.setLabels(LABELS);
        ours.computeGradientAndScore();
        double trained = ours.score();
        INDArray other = Nd4j.randn(DataType.DOUBLE, 2, N_IN, 3);
        var data = new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[]{other}, new INDArray[]{LABELS});
        assertEquals(dl4j.score(data, true), ours.score(data, true), 1e-12);
        assertTrue(Math.abs(ours.score(data, true) - trained) > 1e-6, "a different score to tell apart");
    }

    /**
     * With an LSTM below, whose gradients depend on dL/dx at every step (no feature mask), and a label mask that
     * drops steps: the backward pass on the kept steps only gives DL4J's gradients and a zero dL/dx where masked.
     */
    @Test
    void masksStepsOutOfTheProductsNotOutOfTheGradients() {
        Function<Function<RnnOutputLayer, RnnOutputLayer>, ComputationGraph> build = wrap -> {
            ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder()
                    .dataType(DataType.DOUBLE).seed(5).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER)
                    .graphBuilder()
                    .addInputs("in")
                    .setInputTypes(InputType.recurrent(N_IN))
                    .addLayer("lstm", new LSTM.Builder().nIn(N_IN).nOut(N_IN).activation(Activation.TANH).build(), "in")
                    .addLayer("out", wrap.apply(new RnnOutputLayer.Builder(new LabelSmoothedCrossEntropy(0.1)).nIn(N_IN)
                            .nOut(VOCAB).activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build()), "lstm")
                    .setOutputs("out")
                    .build());
            g.init();
            return g;
        };
        ComputationGraph dl4j = build.apply(c -> c);
        ComputationGraph ours = build.apply(GemmOutputLayer::of);
        ours.setParams(dl4j.params().dup());
        Nd4j.getRandom().setSeed(12);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 3, N_IN, 4);
        INDArray labels = Nd4j.createFromArray(new double[][][]{{{1, 6, 0, 2}}, {{3, 3, 5, 0}}, {{4, 0, 2, 0}}});
        INDArray labelMask = Nd4j.createFromArray(new double[][]{{1, 0, 1, 1}, {1, 1, 1, 0}, {0, 0, 1, 0}});
        for (ComputationGraph g : new ComputationGraph[]{dl4j, ours}) {
            g.setInputs(x);
            g.setLabels(labels);
            g.setLayerMaskArrays(null, new INDArray[]{labelMask});
            g.computeGradientAndScore();
        }
        assertEquals(dl4j.score(), ours.score(), 1e-12);
        INDArray lstmGradient = dl4j.getLayer("lstm").getGradientsViewArray();
        assertTrue(lstmGradient.amaxNumber().doubleValue() > 1e-3, "a gradient to compare");
        assertTrue(dl4j.getGradientsViewArray().equalsWithEps(ours.getGradientsViewArray(), 1e-12), "gradients");

        INDArray h = dl4j.feedForward(x, false).get("lstm");
        INDArray[] dxs = new INDArray[2];
        for (int i = 0; i < 2; i++) {
            var out = (org.deeplearning4j.nn.layers.recurrent.RnnOutputLayer) (i == 0 ? dl4j : ours).getLayer("out");
            out.setInput(h, LayerWorkspaceMgr.noWorkspaces());
            out.setLabels(labels);
            out.setMaskArray(labelMask);
            dxs[i] = out.backpropGradient(null, LayerWorkspaceMgr.noWorkspaces()).getSecond();
        }
        INDArray expected = dxs[0];
        INDArray dx = dxs[1];
        assertTrue(expected.equalsWithEps(dx, 1e-12), "dL/dx\n" + expected + "\n" + dx);
        assertEquals(0.0, dx.get(NDArrayIndex.point(2), NDArrayIndex.all(), NDArrayIndex.point(3)).amaxNumber().doubleValue());
    }

    @Test
    void itsConfigurationSurvivesJsonAndBuildsTheSameLayer() {
        ComputationGraph g = graph(new LabelSmoothedCrossEntropy(0.2), GemmOutputLayer::of);
        String json = g.getConfiguration().toJson();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
        assertEquals(g.getConfiguration(), back);
        ComputationGraph restored = new ComputationGraph(back);
        restored.init(g.params().dup(), false);
        assertInstanceOf(GemmOutputLayer.Runtime.class, restored.getLayer("out"));
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, N_IN, 3);
        assertTrue(g.outputSingle(x).equalsWithEps(restored.outputSingle(x), 0));
    }
}
