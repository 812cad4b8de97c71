package org.attentionzoo.layers.attention;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small graphs around an attention vertex for gradient checks and reference comparisons. */
final class AttentionGraphs {

    private AttentionGraphs() {
    }

    /**
     * dec [mb, decIn, tT] → built-in LSTM(decIn→d) ─┐
     * enc [mb, encIn, tS] → built-in LSTM(encIn→e) ─┴ vertex → RnnOutputLayer(classes)
     */
    static ComputationGraph withLayersAround(GraphVertex vertex, int decIn, int encIn, int d, int e, int vertexOut,
                                             int classes, long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(seed).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("dec", "enc")
                .setInputTypes(InputType.recurrent(decIn), InputType.recurrent(encIn))
                .addLayer("dec_rnn", new LSTM.Builder().nIn(decIn).nOut(d).activation(Activation.TANH).build(), "dec")
                .addLayer("enc_rnn", new LSTM.Builder().nIn(encIn).nOut(e).activation(Activation.TANH).build(), "enc")
                .addVertex("att", vertex, "dec_rnn", "enc_rnn")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(vertexOut).nOut(classes)
                        .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build(), "att")
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /** The vertex alone: its two inputs are the graph inputs, its output the graph output. */
    static ComputationGraph alone(GraphVertex vertex, int d, int e) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(7).updater(new NoOp())
                .graphBuilder()
                .addInputs("dec", "enc")
                .setInputTypes(InputType.recurrent(d), InputType.recurrent(e))
                .addVertex("att", vertex, "dec", "enc")
                .setOutputs("att")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /** One ND4J thread, as {@code OneThread} does for the layer tests (faster for tiny models on 2 shared cores). */
    static void oneThread() {
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
    }

}
