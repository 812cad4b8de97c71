package org.attentionzoo.models;

import org.attentionzoo.layers.transformer.DecoderLayer;
import org.attentionzoo.layers.transformer.EncoderLayer;
import org.attentionzoo.layers.transformer.FeedForwardActivation;
import org.attentionzoo.layers.transformer.NormPosition;
import org.attentionzoo.layers.transformer.PositionalEncoding;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;

import java.util.Locale;

import static org.attentionzoo.models.GraphNames.*;

/**
 * The Transformer encoder-decoder (Vaswani et al. 2017): no recurrence; every position attends to every
 * other of its sentence (self-attention, causal on the target side) and the decoder attends to the
 * encoder output (cross-attention), with h heads per attention.
 *
 * <pre>
 * source ─ embedding ─ ·√d_model + positions ─ dropout ─ EncoderLayer × N ──────────────────┐
 * target_in ─ embedding ─ ·√d_model + positions ─ dropout ─ DecoderLayer × N (each also reads ┘) ─ softmax
 * </pre>
 * hiddenSize is d_model, ffSize d_ff, heads h, encoderLayers/decoderLayers N. With norm "pre" the last
 * layer of each stack ends with a LayerNorm. The cross-attention of the last decoder layer, averaged
 * over heads, is the alignment translations carry.
 *
 * <p>Dropout (section 5.4) with the card's {@code dropout} P_drop: on the sums of embeddings and positions
 * (and before the softmax), and inside every encoder and decoder layer on the output of each sub-layer
 * before it is added to the sub-layer input and normalised; with {@code attentionDropout} also on the
 * attention weights. Only in training: {@code output}/{@code feedForward} with {@code train = false}, the
 * translators and the alignments run without. Target embedding and softmax weights are tied as in the paper
 * (section 3.4) only with the card's {@code tieEmbeddings} ({@link TiedEmbeddings}); by default they are not.
 */
public final class Transformer {

    private Transformer() {
    }

    /** A card builder for this family, every default visible in {@link ModelCard}. */
    public static ModelCard.Builder builder() {
        return ModelCard.builder().family(ModelCard.Family.TRANSFORMER).name("transformer");
    }

    /** The graph configuration a card describes, for the given vocabulary sizes. */
    public static ComputationGraphConfiguration configuration(ModelCard card, int sourceVocab, int targetVocab) {
        ComputationGraphConfiguration.GraphBuilder g = ZooGraphs.translationBase(card, sourceVocab, targetVocab);
        String below = embedded(g, card, GraphNames.SOURCE_POSITIONS, GraphNames.SOURCE_EMBEDDED, SOURCE_EMBEDDING, SOURCE,
                sourceVocab);
        for (int i = 0; i < card.encoderLayers(); i++) {
            String name = GraphNames.encoderLayer(i);
            g.addLayer(name, new EncoderLayer.Builder().dModel(card.hiddenSize()).heads(card.heads()).dFF(card.ffSize())
                    .activation(activation(card)).normPosition(norm(card))
                    .finalLayerNorm(norm(card) == NormPosition.PRE && i == card.encoderLayers() - 1)
                    .residualDropout(card.dropout()).attentionDropout(card.attentionDropout()).build(), below);
            below = name;
        }
        String encoder = below;
        below = embedded(g, card, GraphNames.TARGET_POSITIONS, GraphNames.TARGET_EMBEDDED, TARGET_EMBEDDING, TARGET_IN,
                targetVocab);
        for (int i = 0; i < card.decoderLayers(); i++) {
            String name = GraphNames.decoderLayer(i);
            g.addVertex(name, new DecoderLayer.Builder().dModel(card.hiddenSize()).heads(card.heads()).dFF(card.ffSize())
                    .activation(activation(card)).normPosition(norm(card))
                    .finalLayerNorm(norm(card) == NormPosition.PRE && i == card.decoderLayers() - 1)
                    .residualDropout(card.dropout()).attentionDropout(card.attentionDropout()).build(), below, encoder);
            below = name;
        }
        ZooGraphs.softmaxOutput(g, card, below, card.hiddenSize(), targetVocab);
        return g.build();
    }

    /** ids → embedding → √d_model scaling + position encodings → dropout; returns the last vertex name. */
    private static String embedded(ComputationGraphConfiguration.GraphBuilder g, ModelCard card, String positions,
                                   String next, String embeddingName, String input, int vocab) {
        ZooGraphs.embedding(g, embeddingName, input, vocab, card.hiddenSize());
        PositionalEncoding.Builder pe = new PositionalEncoding.Builder().dModel(card.hiddenSize()).scale(true);
        if (card.positional().equals("learned")) {
            pe.learned(card.maxPositions());
        } else {
            pe.sinusoidal();
        }
        g.addLayer(positions, pe.build(), embeddingName);
        return ZooGraphs.dropout(g, next, positions, card);
    }

    private static FeedForwardActivation activation(ModelCard card) {
        return FeedForwardActivation.valueOf(card.ffActivation().toUpperCase(Locale.ROOT));
    }

    private static NormPosition norm(ModelCard card) {
        return NormPosition.valueOf(card.norm().toUpperCase(Locale.ROOT));
    }
}
