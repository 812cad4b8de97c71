package org.attentionzoo.examples;

import org.attentionzoo.layers.transformer.EncoderLayer;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * Times one fit step (float, Adam) of input [64, 256, 20] → {@link EncoderLayer}(d_model 256, h 4, d_ff 1024) →
 * RnnOutputLayer(256 → 32), against the same graph without the EncoderLayer, on one thread: the cost of one
 * Transformer encoder layer's training step, apart from the rest of a model.
 *
 * <pre>
 * mvn -q compile exec:java -Dexec.mainClass=org.attentionzoo.examples.EncoderLayerBenchmark -Dexec.args="--iterations 20"
 * java -cp target/attention-zoo.jar org.attentionzoo.examples.EncoderLayerBenchmark
 * </pre>
 */
@Command(name = "EncoderLayerBenchmark", mixinStandardHelpOptions = true,
        description = "Time one training step of a Transformer encoder layer, against the same graph without it.")
public final class EncoderLayerBenchmark implements Callable<Integer> {

    @Option(names = "--iterations", defaultValue = "20", description = "Timed steps per graph (default ${DEFAULT-VALUE}).")
    int iterations;

    public static void main(String[] args) {
        ExampleCli.run(new EncoderLayerBenchmark(), args);
    }

    @Override
    public Integer call() {
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
        return 0;
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
