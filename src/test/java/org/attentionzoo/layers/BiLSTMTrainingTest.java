package org.attentionzoo.layers;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
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

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Float training on randomly right-padded batches of varying length stays finite and learns: ids ->
 * EmbeddingSequenceLayer -> BiLSTM -> RnnOutputLayer(SPARSE_MCXENT, NCW). The task, "label = the next
 * token, or 0 at the last real token", needs the backward direction and its start at the last real token.
 * Guards against the NaN seen in an earlier SameDiff BiLSTM (suspected: non-finite values at padded steps).
 */
class BiLSTMTrainingTest {

    private static final int VOCAB = 10, STEPS = 100;

    @BeforeAll
    static void oneThread() {
        OneThread.use();
    }

    /** Random lengths 1..t per example, padding (id 0, mask 0) at the end; sparse labels [mb, 1, T]. */
    private static MultiDataSet batch(Random r, int mb, int t) {
        INDArray ids = Nd4j.zeros(DataType.FLOAT, mb, 1, t);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, mb, 1, t);
        INDArray mask = Nd4j.zeros(DataType.FLOAT, mb, t);
        for (int i = 0; i < mb; i++) {
            int len = 1 + r.nextInt(t);
            int[] tokens = new int[len];
            for (int s = 0; s < len; s++) {
                tokens[s] = 1 + r.nextInt(VOCAB - 1);
                ids.putScalar(new int[]{i, 0, s}, tokens[s]);
                mask.putScalar(i, s, 1.0);
            }
            for (int s = 0; s < len; s++) {
                labels.putScalar(new int[]{i, 0, s}, s + 1 < len ? tokens[s + 1] : 0);
            }
        }
        return new MultiDataSet(new INDArray[]{ids}, new INDArray[]{labels}, new INDArray[]{mask}, new INDArray[]{mask});
    }

    @Test
    void floatTrainingOnPaddedBatchesStaysFiniteAndLearns() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT).seed(81).updater(new Adam(0.02))
                .graphBuilder()
                .addInputs("in")
                .addLayer("emb", new EmbeddingSequenceLayer.Builder().nIn(VOCAB).nOut(12)
                        .outputDataFormat(RNNFormat.NCW).build(), "in")
                .addLayer("enc", new BiLSTM.Builder().nOut(16).build(), "emb")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.SPARSE_MCXENT)
                        .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).nOut(VOCAB).build(), "enc")
                .setOutputs("out").setInputTypes(InputType.recurrent(VOCAB)).build();
        ComputationGraph net = BiLstmGraphs.init(conf);
        Random r = new Random(81);
        MultiDataSet test = batch(r, 64, 9);
        double before = net.score(test);
        for (int i = 0; i < STEPS; i++) {
            net.fit(batch(r, 16, 3 + r.nextInt(8)));
            double score = net.score();
            assertTrue(Double.isFinite(score), "training loss " + score + " at step " + i);
            assertTrue(Double.isFinite(net.params().amaxNumber().doubleValue()), "non-finite parameter at step " + i);
        }
        double after = net.score(test);
        System.out.println("BiLSTM float training: test loss " + before + " -> " + after
                + " (summed over the ~5 real steps per example; uniform guess " + Math.log(VOCAB) + " per step)");
        assertTrue(Double.isFinite(after), "test loss " + after);
        assertTrue(after < 0.5 * before, "loss " + before + " -> " + after);
    }
}
