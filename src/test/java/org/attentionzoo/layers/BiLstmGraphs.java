package org.attentionzoo.layers;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small graphs around {@link BiLSTM} (or DL4J's built-in Bidirectional(LSTM)) for the tests. */
final class BiLstmGraphs {

    private BiLstmGraphs() {
    }

    /** ids [mb,1,T] -> EmbeddingSequenceLayer "emb" -> BiLSTM "enc" (nHidden per direction) -> RnnOutputLayer "out". */
    static ComputationGraphConfiguration tagger(DataType type, int vocab, int nEmb, int nHidden, int nClasses) {
        return tagger(type, vocab, nEmb, new BiLSTM.Builder().nOut(nHidden).build(), nClasses, new NoOp());
    }

    /** Same with DL4J's Bidirectional(CONCAT, LSTM(nHidden, tanh)) as "enc". */
    static ComputationGraphConfiguration builtInTagger(DataType type, int vocab, int nEmb, int nHidden, int nClasses,
                                                       IUpdater updater) {
        return tagger(type, vocab, nEmb, new Bidirectional(Bidirectional.Mode.CONCAT,
                new LSTM.Builder().nOut(nHidden).activation(Activation.TANH).dataFormat(RNNFormat.NCW).build()),
                nClasses, updater);
    }

    static ComputationGraphConfiguration tagger(DataType type, int vocab, int nEmb, Layer encoder, int nClasses,
                                                IUpdater updater) {
        return new NeuralNetConfiguration.Builder()
                .dataType(type).seed(42).updater(updater)
                .graphBuilder()
                .addInputs("in")
                .addLayer("emb", new EmbeddingSequenceLayer.Builder().nIn(vocab).nOut(nEmb)
                        .outputDataFormat(RNNFormat.NCW).build(), "in")
                .addLayer("enc", encoder, "emb")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).nOut(nClasses).build(), "enc")
                .setOutputs("out")
                .setInputTypes(InputType.recurrent(vocab))
                .build();
    }

    static ComputationGraph init(ComputationGraphConfiguration conf) {
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }
}
