package org.attentionzoo.layers;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * fit() works with minibatches of two different lengths (two SameDiff graphs sharing the parameters):
 * the task "label = previous token", which needs the recurrence, is learned.
 */
class GRUTrainingTest {

    private static final int VOCAB = 4;

    @BeforeAll
    static void oneThread() {
        OneThread.use();
    }

    private static MultiDataSet batch(int mb, int t) {
        INDArray ids = GruGraphs.ids(DataType.FLOAT, mb, t, VOCAB);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, mb, VOCAB, t);
        for (int i = 0; i < mb; i++) {
            for (int s = 0; s < t; s++) {
                int previous = s == 0 ? 0 : ids.getInt(i, 0, s - 1);
                labels.putScalar(new int[]{i, previous, s}, 1.0);
            }
        }
        return new MultiDataSet(new INDArray[]{ids}, new INDArray[]{labels});
    }

    @Test
    void learnsToRepeatThePreviousToken() {
        Nd4j.getRandom().setSeed(51);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT).seed(51).updater(new Adam(0.05))
                .graphBuilder()
                .addInputs("in")
                .addLayer("emb", new EmbeddingSequenceLayer.Builder().nIn(VOCAB).nOut(8).build(), "in")
                .addLayer("gru", new GRU.Builder().nOut(16).build(), "emb")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(VOCAB).build(), "gru")
                .setOutputs("out").setInputTypes(InputType.recurrent(VOCAB)).build();
        ComputationGraph net = GruGraphs.init(conf);
        MultiDataSet test = batch(32, 7);
        double before = net.score(test);
        for (int i = 0; i < 60; i++) {
            net.fit(batch(16, i % 2 == 0 ? 5 : 8));
        }
        double after = net.score(test);
        System.out.println("GRU training: test loss " + before + " -> " + after + " (uniform guess: " + Math.log(VOCAB) + ")");
        assertTrue(after < 0.3 * before, "loss " + before + " -> " + after);
        assertTrue(((PerLengthSameDiffLayer) net.getLayer("gru")).graphCount() >= 2, "one graph per length");
    }
}
