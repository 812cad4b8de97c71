package org.attentionzoo.models;

import org.attentionzoo.layers.transformer.EncoderLayer;
import org.attentionzoo.layers.transformer.FeedForwardActivation;
import org.attentionzoo.layers.transformer.NormPosition;
import org.attentionzoo.layers.transformer.PositionalEncoding;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import java.util.Locale;

import static org.attentionzoo.models.GraphNames.OUTPUT;
import static org.attentionzoo.models.GraphNames.SOURCE;
import static org.attentionzoo.models.GraphNames.SOURCE_EMBEDDING;

/**
 * The Transformer encoder alone, for sequence classification (a customer's event history → a label):
 * <pre>
 * source ─ embedding ─ ·√d_model + positions ─ dropout ─ EncoderLayer × N ─ masked mean over time ─ softmax
 * </pre>
 * Input {@code source}: token ids [mb, 1, T] with a time mask [mb, T] (1 on real tokens, 0 on padding);
 * output {@code output}: class probabilities [mb, classes], trained with cross entropy on one-hot labels.
 * The pooling is DL4J's {@link GlobalPoolingLayer} with {@link PoolingType#AVG}, which averages over the
 * real steps only, so padding a sentence does not change its prediction.
 *
 * <p>Card fields as in the {@code transformer} family, with {@code "family": "classifier"}: hiddenSize is
 * d_model, heads h, ffSize d_ff, encoderLayers N, positional, norm, ffActivation, dropout (on the
 * embedded input, inside each encoder layer's residual blocks, and before the softmax), attentionDropout.
 * decoderLayers and labelSmoothing are not used.
 */
public final class EncoderClassifier {

    /** The pooling vertex: mean of the last encoder layer's output over the unmasked steps, [mb, d_model]. */
    public static final String POOLED = "pooled";

    private EncoderClassifier() {
    }

    /** A card builder for this family, every default visible in {@link ModelCard}. */
    public static ModelCard.Builder builder() {
        return ModelCard.builder().family(ModelCard.Family.CLASSIFIER).name("encoder-classifier");
    }

    /**
     * The graph configuration a classifier card describes.
     *
     * @param vocab   vocabulary size, special tokens included (ids 0 ... vocab-1)
     * @param classes number of labels, at least 2
     * @throws IllegalArgumentException if the card is not of the classifier family, or a size is too small
     */
    public static ComputationGraphConfiguration configuration(ModelCard card, int vocab, int classes) {
        if (card.family() != ModelCard.Family.CLASSIFIER) {
            throw new IllegalArgumentException("card \"" + card.name() + "\" is of family " + card.family()
                    + "; EncoderClassifier needs \"family\": \"classifier\"");
        }
        if (vocab < 2 || classes < 2) {
            throw new IllegalArgumentException("need a vocabulary of at least 2 tokens and at least 2 classes; got "
                    + vocab + " tokens, " + classes + " classes");
        }
        int dModel = card.hiddenSize();
        ComputationGraphConfiguration.GraphBuilder g = ZooGraphs.base(card)
                .addInputs(SOURCE)
                .setInputTypes(InputType.recurrent(vocab));
        ZooGraphs.embedding(g, SOURCE_EMBEDDING, SOURCE, vocab, dModel);
        PositionalEncoding.Builder pe = new PositionalEncoding.Builder().dModel(dModel).scale(true);
        if (card.positional().equals("learned")) {
            pe.learned(card.maxPositions());
        } else {
            pe.sinusoidal();
        }
        g.addLayer(GraphNames.SOURCE_POSITIONS, pe.build(), SOURCE_EMBEDDING);
        String below = ZooGraphs.dropout(g, GraphNames.SOURCE_EMBEDDED, GraphNames.SOURCE_POSITIONS, card);
        NormPosition norm = NormPosition.valueOf(card.norm().toUpperCase(Locale.ROOT));
        for (int i = 0; i < card.encoderLayers(); i++) {
            String name = GraphNames.encoderLayer(i);
            g.addLayer(name, new EncoderLayer.Builder().dModel(dModel).heads(card.heads()).dFF(card.ffSize())
                    .activation(FeedForwardActivation.valueOf(card.ffActivation().toUpperCase(Locale.ROOT)))
                    .normPosition(norm).finalLayerNorm(norm == NormPosition.PRE && i == card.encoderLayers() - 1)
                    .residualDropout(card.dropout()).attentionDropout(card.attentionDropout()).build(), below);
            below = name;
        }
        g.addLayer(POOLED, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), below);
        OutputLayer.Builder output = new OutputLayer.Builder(new LossMCXENT()).nIn(dModel).nOut(classes)
                .activation(Activation.SOFTMAX);
        if (card.dropout() > 0) {
            output.dropOut(new Dropout(1.0 - card.dropout()));    // DL4J's argument is the keep probability
        }
        g.addLayer(OUTPUT, output.build(), POOLED);
        g.setOutputs(OUTPUT);
        return g.build();
    }

    /** An initialised classifier graph for the card, vocabulary size and number of classes. */
    public static ComputationGraph init(ModelCard card, int vocab, int classes) {
        ComputationGraph graph = new ComputationGraph(configuration(card, vocab, classes));
        graph.init();
        return graph;
    }

    /**
     * Class probabilities [mb, classes] (inference mode: no dropout).
     *
     * @param ids  token ids [mb, 1, T]
     * @param mask time mask [mb, T], 1 on real tokens
     */
    public static INDArray probabilities(ComputationGraph graph, INDArray ids, INDArray mask) {
        return graph.output(false, new INDArray[]{ids}, new INDArray[]{mask})[0];
    }
}
