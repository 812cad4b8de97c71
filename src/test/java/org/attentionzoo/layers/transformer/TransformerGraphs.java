package org.attentionzoo.layers.transformer;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;


/** Small graphs around the Transformer layers, in double precision, for gradient checks and comparisons. */
final class TransformerGraphs {

    private TransformerGraphs() {
    }

    /** in [mb, nIn, T] → built-in LSTM(nIn → d) → layer → RnnOutputLayer(d → classes, NCW). */
    static ComputationGraph layerBetween(Layer layer, int nIn, int d, int classes, long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(seed).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.recurrent(nIn))
                .addLayer("rnn", new LSTM.Builder().nIn(nIn).nOut(d).activation(Activation.TANH).build(), "in")
                .addLayer("layer", layer, "rnn")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(d).nOut(classes)
                        .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build(), "layer")
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /** The layer alone: graph input → layer (output = the layer's activations). */
    static ComputationGraph layerAlone(Layer layer, int d) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(7).updater(new NoOp())
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.recurrent(d))
                .addLayer("layer", layer, "in")
                .setOutputs("layer")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /**
     * dec [mb, decIn, tT] → built-in LSTM(decIn → d) ─┐
     * enc [mb, encIn, tS] → built-in LSTM(encIn → d) ─┴ vertex → RnnOutputLayer(classes)
     */
    static ComputationGraph vertexBetween(GraphVertex vertex, int decIn, int encIn, int d, int classes, long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(seed).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("dec", "enc")
                .setInputTypes(InputType.recurrent(decIn), InputType.recurrent(encIn))
                .addLayer("decrnn", new LSTM.Builder().nIn(decIn).nOut(d).activation(Activation.TANH).build(), "dec")
                .addLayer("encrnn", new LSTM.Builder().nIn(encIn).nOut(d).activation(Activation.TANH).build(), "enc")
                .addVertex("att", vertex, "decrnn", "encrnn")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(d).nOut(classes)
                        .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build(), "att")
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /** The vertex alone: its two inputs are the graph inputs ("dec", "enc"), its output the graph output. */
    static ComputationGraph vertexAlone(GraphVertex vertex, int d) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(7).updater(new NoOp())
                .graphBuilder()
                .addInputs("dec", "enc")
                .setInputTypes(InputType.recurrent(d), InputType.recurrent(d))
                .addVertex("att", vertex, "dec", "enc")
                .setOutputs("att")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /** Uniform values in [-1, 1). */
    static INDArray random(long... shape) {
        return Nd4j.rand(DataType.DOUBLE, shape).subi(0.5).muli(2);
    }
}
