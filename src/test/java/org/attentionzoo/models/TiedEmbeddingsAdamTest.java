package org.attentionzoo.models;

import org.attentionzoo.layers.GradientChecks;
import org.attentionzoo.train.TrainingData;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.AdamUpdater;

import static org.attentionzoo.models.TiedEmbeddingsGradientTest.PAIRS;
import static org.attentionzoo.models.TiedEmbeddingsGradientTest.grad;
import static org.attentionzoo.models.TiedEmbeddingsGradientTest.w;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Adam keeps one state for a tied matrix: one {@code fit} with {@link TiedEmbeddings#listener} moves the target
 * embedding E by exactly one Adam step (computed here by hand) on the summed gradient of its two uses, divided by
 * the minibatch size as DL4J's updater does; the output layer's W is then Eᵀ, and its Adam moments stay 0.
 */
class TiedEmbeddingsAdamTest {

    static final double LR = 0.01;

    @Test
    void oneUpdateIsOneAdamStepOnTheSummedGradient() {
        GradientChecks.inDoublePrecision(() -> {
            ModelCard card = Seq2Seq.builder().embeddingSize(8).hiddenSize(8).gradientClip(0).learningRate(LR)
                    .tieEmbeddings(ModelCard.Tie.DECODER).seed(5).build();
            TranslationModel model = TiedEmbeddingsGradientTest.model(card);
            ComputationGraph g = model.graph().convertDataType(DataType.DOUBLE);
            MultiDataSet batch = org.attentionzoo.TinyModels.doubles(TrainingData.batches(model, PAIRS, 4, 20, 3).next());
            long mb = batch.getFeatures(0).size(0);

            // The summed gradient of E, on a copy.
            ComputationGraph copy = g.clone();
            TiedEmbeddingsGradientTest.load(copy, batch);
            copy.computeGradientAndScore();
            INDArray ownGradient = grad(copy, GraphNames.TARGET_EMBEDDING).dup();
            TiedEmbeddings.sumGradients(copy, ModelCard.Tie.DECODER);
            INDArray summed = grad(copy, GraphNames.TARGET_EMBEDDING).dup();
            assertTrue(summed.sub(ownGradient).amaxNumber().doubleValue() > 1e-3, "the output's use adds nothing");

            INDArray before = w(g, GraphNames.TARGET_EMBEDDING).dup();
            g.setListeners(TiedEmbeddings.listener(ModelCard.Tie.DECODER));
            g.fit(batch);

            // By hand, Adam's first step (t = 1, m0 = v0 = 0) on g = summed / mb, DL4J's default betas and epsilon:
            double b1 = 0.9;
            double b2 = 0.999;
            double eps = 1e-8;
            double alphaT = LR * Math.sqrt(1 - b2) / (1 - b1);
            INDArray after = w(g, GraphNames.TARGET_EMBEDDING);
            for (int i = 0; i < before.rows(); i++) {
                for (int j = 0; j < before.columns(); j++) {
                    double gij = summed.getDouble(i, j) / mb;
                    double m = (1 - b1) * gij;
                    double v = (1 - b2) * gij * gij;
                    double expected = before.getDouble(i, j) - alphaT * m / (Math.sqrt(v) + eps);
                    assertEquals(expected, after.getDouble(i, j), 1e-12, "E[" + i + ", " + j + "]");
                }
            }
            assertEquals(after.transpose(), w(g, GraphNames.OUTPUT), "the output weights are the transposed embedding");

            double[] outputMoments = moments(g, GraphNames.OUTPUT, "W");
            double[] embeddingMoments = moments(g, GraphNames.TARGET_EMBEDDING, "W");
            assertEquals(0.0, outputMoments[0], 0.0, "Adam's m of the tied copy");
            assertEquals(0.0, outputMoments[1], 0.0, "Adam's v of the tied copy");
            assertTrue(embeddingMoments[0] > 0 && embeddingMoments[1] > 0, "the primary's state is kept");
            return null;
        });
    }

    /** The largest |m| and |v| of Adam's state for one parameter of one layer. */
    private static double[] moments(ComputationGraph g, String layer, String param) {
        ComputationGraphUpdater updater = g.getUpdater();
        for (UpdaterBlock block : updater.getUpdaterBlocks()) {
            for (UpdaterBlock.ParamState ps : block.getLayersAndVariablesInBlock()) {
                if (ps.getLayer().getConfig().getLayerName().equals(layer) && ps.getParamName().equals(param)) {
                    AdamUpdater adam = (AdamUpdater) block.getGradientUpdater();
                    long from = ps.getParamOffsetStart() - block.getParamOffsetStart();
                    long to = ps.getParamOffsetEnd() - block.getParamOffsetStart();
                    INDArray m = adam.getM().reshape(adam.getM().length()).get(
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to));
                    INDArray v = adam.getV().reshape(adam.getV().length()).get(
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to));
                    return new double[]{m.amaxNumber().doubleValue(), v.amaxNumber().doubleValue()};
                }
            }
        }
        throw new AssertionError("no updater state for " + layer + "_" + param);
    }
}
