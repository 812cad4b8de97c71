package org.attentionzoo.layers.transformer;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Arrays;

/**
 * Not a test: times one fit step (float, Adam) of input [64, 256, 20] → EncoderLayer(d_model 256, h 4,
 * d_ff 1024) → RnnOutputLayer(256 → 32), against the same graph without the EncoderLayer, on one thread.
 * Run with the test classpath: {@code java -cp ... org.attentionzoo.layers.transformer.EncoderLayerBenchmark [iterations]}.
 */
public final class EncoderLayerBenchmark {

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
        int mb = 64, t = 20, d = 256, classes = 32;
        INDArray x = Nd4j.rand(DataType.FLOAT, mb, d, t).subi(0.5);
        INDArray mask = Nd4j.ones(DataType.FLOAT, mb, t);
        for (int i = 0; i < mb; i++) {                       // lengths 10..20
            for (int j = 10 + i % 11; j < t; j++) {
                mask.putScalar(i, j, 0);
            }
        }
        INDArray labels = Nd4j.zeros(DataType.FLOAT, mb, classes, t);
        for (int i = 0; i < mb; i++) {
            for (int j = 0; j < t; j++) {
                labels.putScalar(i, (i + j) % classes, j, 1);
            }
        }
        MultiDataSet data = new MultiDataSet(new INDArray[]{x}, new INDArray[]{labels}, new INDArray[]{mask},
                new INDArray[]{mask});
        for (boolean withEncoder : new boolean[]{false, true, false, true}) {
            ComputationGraph g = graph(withEncoder, d, classes);
            for (int i = 0; i < 3; i++) {
                g.fit(data);
            }
            long[] ns = new long[iterations];
            for (int i = 0; i < iterations; i++) {
                long start = System.nanoTime();
                g.fit(data);
                ns[i] = System.nanoTime() - start;
            }
            Arrays.sort(ns);
            System.out.printf("%s: fit ms per batch of %dx%d: median %.1f, min %.1f, max %.1f (score %.3f)%n",
                    withEncoder ? "EncoderLayer + output" : "output layer only", mb, t, ns[iterations / 2] / 1e6,
                    ns[0] / 1e6, ns[iterations - 1] / 1e6, g.score());
        }
    }

    private static ComputationGraph graph(boolean withEncoder, int d, int classes) {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT).seed(1).updater(new Adam(1e-3))
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.recurrent(d));
        String last = "in";
        if (withEncoder) {
            b.addLayer("enc", new EncoderLayer.Builder().dModel(d).heads(4).dFF(1024).build(), "in");
            last = "enc";
        }
        b.addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(d).nOut(classes)
                .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build(), last);
        ComputationGraph g = new ComputationGraph(b.setOutputs("out").build());
        g.init();
        return g;
    }
}
