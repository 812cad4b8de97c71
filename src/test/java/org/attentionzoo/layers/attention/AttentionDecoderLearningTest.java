package org.attentionzoo.layers.attention;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Learning smoke test: embeddings → LSTM encoder, embeddings → AttentionDecoder → softmax learns to reverse
 * random sequences of 5 symbols, length 3-4, under teacher forcing (float precision, Adam). Reversal needs
 * the attention: the decoder has no other view of the source.
 */
class AttentionDecoderLearningTest {

    private static final int PAD = 0, BOS = 1, EOS = 2, SYMBOLS = 5, VOCAB = 3 + SYMBOLS, EMB = 16, HIDDEN = 32;

    @BeforeAll
    static void oneThread() {
        AttentionGraphs.oneThread();
    }

    @ParameterizedTest
    @EnumSource(AttentionDecoder.Style.class)
    void learnsToReverse(AttentionDecoder.Style style) {
        ComputationGraph net = model(style);
        Random random = new Random(7);
        MultiDataSet heldOut = batch(random, 200);
        long start = System.nanoTime();
        int steps = 0;
        double accuracy = 0;
        while (steps < 600 && accuracy < 0.95) {
            for (int i = 0; i < 50; i++, steps++) {
                net.fit(batch(random, 32));
            }
            accuracy = tokenAccuracy(net, heldOut);
        }
        System.out.printf("AttentionDecoder %s reverses: %.1f%% token accuracy (teacher forcing) after %d steps, %.1f s%n",
                style, 100 * accuracy, steps, (System.nanoTime() - start) / 1e9);
        assertTrue(accuracy >= 0.90, "token accuracy " + accuracy + " after " + steps + " steps");

        // Control: with the sources of other sentences, the same decoder inputs give near-chance accuracy, so
        // the model reads the source (through attention) and does not just continue the target prefix.
        MultiDataSet other = batch(new Random(8), 200);
        MultiDataSet mismatched = new MultiDataSet(
                new INDArray[]{other.getFeatures(0), heldOut.getFeatures(1)}, heldOut.getLabels(),
                new INDArray[]{other.getFeaturesMaskArray(0), heldOut.getFeaturesMaskArray(1)}, heldOut.getLabelsMaskArrays());
        double control = tokenAccuracy(net, mismatched);
        System.out.printf("  with mismatched sources: %.1f%%%n", 100 * control);
        assertTrue(control < 0.5, "accuracy with the wrong sources " + control);
    }

    private static ComputationGraph model(AttentionDecoder.Style style) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT).seed(3).updater(new Adam(0.01)).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("src", "tgtIn")
                .setInputTypes(InputType.recurrent(VOCAB), InputType.recurrent(VOCAB))
                .addLayer("srcEmb", new EmbeddingSequenceLayer.Builder().nIn(VOCAB).nOut(EMB).build(), "src")
                .addLayer("encoder", new LSTM.Builder().nOut(HIDDEN).activation(Activation.TANH).build(), "srcEmb")
                .addLayer("tgtEmb", new EmbeddingSequenceLayer.Builder().nIn(VOCAB).nOut(EMB).build(), "tgtIn")
                .addVertex("decoder", new AttentionDecoder.Builder().style(style).embeddingSize(EMB).encoderSize(HIDDEN)
                        .hiddenSize(HIDDEN).build(), "tgtEmb", "encoder")
                .addLayer("out", new RnnOutputLayer.Builder().lossFunction(new LossSparseMCXENT()).nOut(VOCAB)
                        .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build(), "decoder")
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /** Random sources, length 3-4; decoder input BOS + reversed source, labels reversed source + EOS. */
    private static MultiDataSet batch(Random random, int mb) {
        int ts = 4, tt = 5;
        INDArray src = Nd4j.zeros(DataType.FLOAT, mb, 1, ts), srcMask = Nd4j.zeros(DataType.FLOAT, mb, ts);
        INDArray tgtIn = Nd4j.zeros(DataType.FLOAT, mb, 1, tt), labels = Nd4j.zeros(DataType.FLOAT, mb, 1, tt);
        INDArray tgtMask = Nd4j.zeros(DataType.FLOAT, mb, tt);
        for (int b = 0; b < mb; b++) {
            int len = 3 + random.nextInt(2);
            int[] x = new int[len];
            for (int t = 0; t < len; t++) {
                x[t] = 3 + random.nextInt(SYMBOLS);
                src.putScalar(b, 0, t, x[t]);
                srcMask.putScalar(b, t, 1);
            }
            tgtIn.putScalar(b, 0, 0, BOS);
            for (int t = 0; t < len; t++) {
                int y = x[len - 1 - t];
                labels.putScalar(b, 0, t, y);
                tgtIn.putScalar(b, 0, t + 1, y);
            }
            labels.putScalar(b, 0, len, EOS);
            for (int t = 0; t <= len; t++) {
                tgtMask.putScalar(b, t, 1);
            }
            if (len < 4) {
                tgtIn.putScalar(b, 0, len + 1, PAD);
            }
        }
        return new MultiDataSet(new INDArray[]{src, tgtIn}, new INDArray[]{labels},
                new INDArray[]{srcMask, tgtMask}, new INDArray[]{tgtMask});
    }

    private static double tokenAccuracy(ComputationGraph net, MultiDataSet data) {
        INDArray probs = net.output(false, data.getFeatures(), data.getFeaturesMaskArrays())[0]; // [mb, V, T]
        INDArray predicted = probs.argMax(1);                                                      // [mb, T]
        INDArray labels = data.getLabels(0), mask = data.getLabelsMaskArray(0);
        double right = 0, total = 0;
        for (int b = 0; b < mask.rows(); b++) {
            for (int t = 0; t < mask.columns(); t++) {
                if (mask.getDouble(b, t) > 0) {
                    total++;
                    right += predicted.getDouble(b, t) == labels.getDouble(b, 0, t) ? 1 : 0;
                }
            }
        }
        return right / total;
    }
}
