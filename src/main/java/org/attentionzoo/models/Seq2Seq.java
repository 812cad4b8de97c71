package org.attentionzoo.models;

import org.attentionzoo.layers.GRU;
import org.attentionzoo.layers.GemmLstm;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.nd4j.linalg.activations.Activation;

import static org.attentionzoo.models.GraphNames.*;

/**
 * Plain sequence-to-sequence model (Cho et al. 2014; Sutskever et al. 2014): an RNN encoder reads
 * the source, its state at the last real source token is the single fixed context vector c, and an
 * RNN decoder predicts each target token from the previous one and c.
 *
 * <p>As in Cho et al. 2014 (eq. for the decoder state, s_t = f(s_{t-1}, y_{t-1}, c)), the context
 * enters the decoder at every step: DL4J's recurrent layers cannot take another layer's state as
 * their initial state, so c is repeated over the target steps and joined to each target embedding.
 *
 * <pre>
 * source ─ embedding ─ encoder RNN × L ─ last real step ─ repeat over target ─┐
 * target_in ─ embedding ──────────────────────────────────────────────────── merge ─ decoder RNN × L ─ softmax
 * </pre>
 */
public final class Seq2Seq {

    private Seq2Seq() {
    }

    /** A card builder for this family, every default visible in {@link ModelCard}. */
    public static ModelCard.Builder builder() {
        return ModelCard.builder().family(ModelCard.Family.SEQ2SEQ).name("seq2seq");
    }

    /** The graph configuration a card describes, for the given vocabulary sizes. */
    public static ComputationGraphConfiguration configuration(ModelCard card, int sourceVocab, int targetVocab) {
        ComputationGraphConfiguration.GraphBuilder g = ZooGraphs.translationBase(card, sourceVocab, targetVocab);

        String below = ZooGraphs.embedding(g, SOURCE_EMBEDDING, SOURCE, sourceVocab, card.embeddingSize());
        int nIn = card.embeddingSize();
        for (int i = 0; i < card.encoderLayers(); i++) {
            String name = GraphNames.encoderLayer(i);
            g.addLayer(name, rnn(card, nIn), ZooGraphs.dropout(g, name, below, card));
            below = name;
            nIn = card.hiddenSize();
        }
        below = ZooGraphs.targetWithContext(g, card, below, targetVocab);              // [mb, e + h, tTgt]
        nIn = card.embeddingSize() + card.hiddenSize();
        for (int i = 0; i < card.decoderLayers(); i++) {
            String name = decoderLayer(i);
            g.addLayer(name, rnn(card, nIn), ZooGraphs.dropout(g, name, below, card));
            below = name;
            nIn = card.hiddenSize();
        }
        ZooGraphs.softmaxOutput(g, card, below, nIn, targetVocab);
        return g.build();
    }

    /** One recurrent layer of the card's cell type: DL4J's LSTM (trained by {@link GemmLstm}), or our SameDiff {@link GRU}. */
    static Layer rnn(ModelCard card, int nIn) {
        switch (card.cell()) {
            case LSTM:
                return GemmLstm.of(new LSTM.Builder().nIn(nIn).nOut(card.hiddenSize()).activation(Activation.TANH).build());
            case GRU:
                return new GRU.Builder().nIn(nIn).nOut(card.hiddenSize()).build();
            default:
                throw new IllegalStateException("no layer for cell " + card.cell());
        }
    }
}
