package org.attentionzoo.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

/** Checks that the iterator's tensors are what DL4J's recurrent layers and LossSparseMCXENT accept. */
class TeacherForcingIteratorDl4jTest {

    @Test
    void decoderSideTrainsInAComputationGraph() {
        CopyTask task = new CopyTask(6, 2, 5);
        List<SentencePair> pairs = task.generate(24, 1);
        Vocabulary vocab = Vocabulary.of(List.of("1", "2", "3", "4", "5", "6"));
        TeacherForcingIterator it = TeacherForcingIterator.builder().pairs(pairs)
                .sourceTokenizer(task.sourceTokenizer()).targetTokenizer(task.targetTokenizer())
                .sourceVocab(vocab).targetVocab(vocab).batchSize(8).maxLength(10).seed(1).build();
        // A decoder-only language model on features[1] -> labels[0]; the source input is unused here.
        // RnnOutputLayer needs an explicit NCW format when no input types are set (else it assumes NWC).
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-2))
                .graphBuilder()
                .addInputs("source", "decoderInput")
                .addLayer("embed", new EmbeddingSequenceLayer.Builder().nIn(vocab.size()).nOut(8).build(), "decoderInput")
                .addLayer("lstm", new LSTM.Builder().nIn(8).nOut(8).activation(Activation.TANH).build(), "embed")
                .addLayer("out", new RnnOutputLayer.Builder(new LossSparseMCXENT()).nIn(8).nOut(vocab.size())
                        .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build(), "lstm")
                .setOutputs("out").allowDisconnected(true).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        INDArray before = graph.params().dup();
        graph.fit(it);
        assertTrue(Double.isFinite(graph.score()), "score " + graph.score());
        assertNotEquals(before, graph.params());

        it.reset();
        MultiDataSet batch = it.next();
        INDArray out = graph.output(false, batch.getFeatures(), batch.getFeaturesMaskArrays())[0];
        long mb = batch.getLabels(0).size(0);
        long tt = batch.getLabels(0).size(2);
        assertArrayEquals(new long[] {mb, vocab.size(), tt}, out.shape());
    }
}
