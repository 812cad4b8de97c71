package org.attentionzoo.layers;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small graphs around {@link GRU} for the tests, and their inputs. */
final class GruGraphs {

    private GruGraphs() {
    }

    /** ids [mb,1,T] -> EmbeddingSequenceLayer "emb" (vocab, nEmb) -> GRU "gru" (nHidden) -> RnnOutputLayer "out". */
    static ComputationGraphConfiguration tagger(DataType type, int vocab, int nEmb, int nHidden, int nClasses) {
        return new NeuralNetConfiguration.Builder()
                .dataType(type).seed(42).updater(new NoOp())
                .graphBuilder()
                .addInputs("in")
                .addLayer("emb", new EmbeddingSequenceLayer.Builder().nIn(vocab).nOut(nEmb).build(), "in")
                .addLayer("gru", new GRU.Builder().nOut(nHidden).build(), "emb")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(nClasses).build(), "gru")
                .setOutputs("out")
                .setInputTypes(InputType.recurrent(vocab))
                .build();
    }

    /** ids -> embedding -> GRU -> LastTimeStepVertex "last" (mask of "in") -> OutputLayer "out". */
    static ComputationGraphConfiguration encoder(DataType type, int vocab, int nEmb, int nHidden, int nClasses) {
        return new NeuralNetConfiguration.Builder()
                .dataType(type).seed(42).updater(new NoOp())
                .graphBuilder()
                .addInputs("in")
                .addLayer("emb", new EmbeddingSequenceLayer.Builder().nIn(vocab).nOut(nEmb).build(), "in")
                .addLayer("gru", new GRU.Builder().nOut(nHidden).build(), "emb")
                .addVertex("last", new LastTimeStepVertex("in"), "gru")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(nClasses).build(), "last")
                .setOutputs("out")
                .setInputTypes(InputType.recurrent(vocab))
                .build();
    }

    static ComputationGraph init(ComputationGraphConfiguration conf) {
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    /** Random token ids [mb, 1, T] in [0, vocab). */
    static INDArray ids(DataType type, int mb, int t, int vocab) {
        INDArray ids = Nd4j.zeros(type, mb, 1, t);
        for (int i = 0; i < mb; i++) {
            for (int s = 0; s < t; s++) {
                ids.putScalar(new int[]{i, 0, s}, Nd4j.getRandom().nextInt(vocab));
            }
        }
        return ids;
    }

    /** Right-padded time mask [mb, T]: example i has lengths[i] real steps. */
    static INDArray mask(DataType type, int t, int... lengths) {
        INDArray m = Nd4j.zeros(type, lengths.length, t);
        for (int i = 0; i < lengths.length; i++) {
            for (int s = 0; s < lengths[i]; s++) {
                m.putScalar(i, s, 1.0);
            }
        }
        return m;
    }

    /** One-hot labels [mb, nClasses, T] with random classes. */
    static INDArray labels(DataType type, int mb, int nClasses, int t) {
        INDArray l = Nd4j.zeros(type, mb, nClasses, t);
        for (int i = 0; i < mb; i++) {
            for (int s = 0; s < t; s++) {
                l.putScalar(new int[]{i, Nd4j.getRandom().nextInt(nClasses), s}, 1.0);
            }
        }
        return l;
    }
}
