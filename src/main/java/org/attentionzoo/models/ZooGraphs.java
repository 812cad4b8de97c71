package org.attentionzoo.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.rnn.DuplicateToTimeSeriesVertex;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.attentionzoo.layers.GemmOutputLayer;
import org.attentionzoo.layers.SequenceDropout;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.attentionzoo.optim.LabelSmoothedCrossEntropy;
import org.attentionzoo.optim.NoamSchedule;
import org.attentionzoo.optim.ParallelAdam;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** The pieces every zoo graph shares: global settings, embeddings and the softmax output. */
final class ZooGraphs {

    private ZooGraphs() {
    }

    /** Seed, optimiser, initialisation and gradient clipping from the card. */
    static ComputationGraphConfiguration.GraphBuilder base(ModelCard card) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(card.seed())
                .updater(updater(card))
                .weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED);
        if (card.gradientClip() > 0) {
            b.gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                    .gradientNormalizationThreshold(card.gradientClip());
        }
        return b.graphBuilder();
    }

    /** {@link #base} with the two inputs of every translation graph: source and target-in token ids, one-hot sized. */
    static ComputationGraphConfiguration.GraphBuilder translationBase(ModelCard card, int sourceVocab, int targetVocab) {
        return base(card)
                .addInputs(GraphNames.SOURCE, GraphNames.TARGET_IN)
                .setInputTypes(InputType.recurrent(sourceVocab), InputType.recurrent(targetVocab));
    }

    /**
     * Adam ({@link ParallelAdam}: DL4J's arithmetic on every core) with the card's learning rate, or with the Noam
     * schedule (factor = learningRate, d_model = hiddenSize) and the betas of Vaswani et al. 2017 (0.9, 0.98, ε 1e-9).
     */
    static Adam updater(ModelCard card) {
        if (card.schedule().equals("noam")) {
            return new ParallelAdam(Double.NaN, new NoamSchedule(card.learningRate(), card.hiddenSize(),
                    card.warmupSteps()), 0.9, 0.98, 1e-9);
        }
        return new ParallelAdam(card.learningRate());
    }

    /**
     * Cross entropy on sparse target ids, label-smoothed when the card asks for it ({@link LabelSmoothedCrossEntropy}
     * with ε = 0 otherwise: the values of DL4J's LossSparseMCXENT, without its one-hot matrices).
     */
    static ILossFunction loss(ModelCard card) {
        return new LabelSmoothedCrossEntropy(card.labelSmoothing());
    }

    /**
     * The decoder input of the RNN families: each target embedding joined to the fixed context vector c,
     * the encoder state at the last real source token, repeated over the target steps (Cho et al. 2014's
     * s_t = f(s_{t-1}, y_{t-1}, c); DL4J's recurrent layers cannot start from another layer's state).
     *
     * @param encoderStates the top encoder layer, [mb, h, tSrc]
     * @return the name of the merged input, [mb, e + h, tTgt]
     */
    static String targetWithContext(ComputationGraphConfiguration.GraphBuilder g, ModelCard card, String encoderStates,
                                    int targetVocab) {
        g.addVertex(GraphNames.CONTEXT, new LastTimeStepVertex(GraphNames.SOURCE), encoderStates);         // [mb, h]
        g.addVertex(GraphNames.CONTEXT_REPEATED, new DuplicateToTimeSeriesVertex(GraphNames.TARGET_IN),
                GraphNames.CONTEXT);                                                                   // [mb, h, tTgt]
        String embedded = embedding(g, GraphNames.TARGET_EMBEDDING, GraphNames.TARGET_IN, targetVocab, card.embeddingSize());
        g.addVertex(GraphNames.DECODER_INPUT, new MergeVertex(), embedded, GraphNames.CONTEXT_REPEATED);            // [mb, e + h, tTgt]
        return GraphNames.DECODER_INPUT;
    }

    /** Adds a token embedding [mb, 1, t] ids -> [mb, size, t]; returns its name. */
    static String embedding(ComputationGraphConfiguration.GraphBuilder g, String name, String input,
                            int vocab, int size) {
        g.addLayer(name, new EmbeddingSequenceLayer.Builder().nIn(vocab).nOut(size).hasBias(false).build(), input);
        return name;
    }

    /**
     * Adds the softmax over the target vocabulary, trained with cross entropy on sparse ids: DL4J's
     * RnnOutputLayer, run by {@link GemmOutputLayer} (same values, a faster matrix product).
     */
    static void softmaxOutput(ComputationGraphConfiguration.GraphBuilder g, ModelCard card, String input,
                              int nIn, int targetVocab) {
        g.addLayer(GraphNames.OUTPUT, GemmOutputLayer.of(new RnnOutputLayer.Builder(loss(card))
                .nIn(nIn).nOut(targetVocab).activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW)
                .build()), dropout(g, GraphNames.OUTPUT, input, card));
        g.setOutputs(GraphNames.OUTPUT);
    }

    /**
     * Adds dropout in front of layer {@code layer} as a layer of its own (SameDiff layers ignore DL4J's
     * per-layer dropout); returns the name to feed into {@code layer}: the input itself when the card's
     * dropout is 0. ({@link SequenceDropout}: DL4J's own DropoutLayer fails on masked sequences.)
     */
    static String dropout(ComputationGraphConfiguration.GraphBuilder g, String layer, String input, ModelCard card) {
        if (card.dropout() <= 0) {
            return input;
        }
        String name = GraphNames.dropoutBefore(layer);
        g.addLayer(name, new SequenceDropout(card.dropout()), input);
        return name;
    }
}
