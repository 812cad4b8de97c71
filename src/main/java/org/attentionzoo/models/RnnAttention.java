package org.attentionzoo.models;

import org.attentionzoo.layers.BiLSTM;
import org.attentionzoo.layers.GemmLstm;
import org.attentionzoo.layers.SequenceReverse;
import org.attentionzoo.layers.attention.AttentionDecoder;
import org.attentionzoo.layers.attention.LuongAttention;
import org.attentionzoo.layers.attention.ScoreType;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.nd4j.linalg.activations.Activation;

import static org.attentionzoo.models.GraphNames.*;

/**
 * RNN encoder-decoder with attention (Bahdanau et al. 2015; Luong et al. 2015). Instead of one fixed
 * context vector, every target step t gets its own, c_t = Σ_s a_ts h̄_s, with a_t = softmax(e_t) over the
 * encoder states; the alignment a is what {@link #ATTENTION} exposes to {@code AlignmentProbe}.
 *
 * <pre>
 * source ─ embedding ─ encoder (BiLSTM: h̄_s = [→h_s ; ←h_s]) × L ──────────────┬──────────────┐
 *                                        last real step ─ repeat over target ─┐ │              │
 * target_in ─ embedding ───────────────────────────────────────────────── merge ─ decoder LSTM × L ─ attention ─ softmax
 * </pre>
 * The shipped cards use encoder {@code bilstm} (also the default of a card that names none): our SameDiff
 * {@link BiLSTM}, whose backward direction starts at each sentence's last real token, trained by its hand-written
 * runtime ({@code KeptBiLSTM}). Encoder {@code bilstm-graph} computes the same function from graph vertices: two
 * DL4J LSTM layers (run by {@link GemmLstm}), the backward one reading each sentence reversed within its real
 * length ({@link SequenceReverse}); it has the same number of parameters, in another layout. DL4J's built-in
 * {@code Bidirectional(LSTM)} (encoder {@code bilstm-builtin}) ignores the mask inside a ComputationGraph and starts
 * it on the padding (BuiltInBidirectionalMaskTest).
 * Each direction of a bidirectional encoder has hiddenSize / 2 units, so encoder and decoder states
 * both have hiddenSize entries and every score (dot included) applies. As in {@link Seq2Seq}, the
 * encoder's state at the last real source token joins every decoder input (DL4J's recurrent layers
 * cannot start from another layer's state), so the attention model extends plain Seq2seq by exactly
 * the attention.
 *
 * <p>With {@code "decoder": "bahdanau"} (Bahdanau et al. 2015) or {@code "inputFeeding": true} (Luong et
 * al. 2015, section 3.3) the attention moves inside the recurrence: one {@link AttentionDecoder} vertex
 * replaces the decoder LSTM and the attention vertex (a single decoder layer; decoderLayers is ignored).
 */
public final class RnnAttention {

    /** Name of the attention vertex, whose alignment weights can be read: {@link GraphNames#ATTENTION}. */
    public static final String ATTENTION = GraphNames.ATTENTION;

    private RnnAttention() {
    }

    /** A card builder for this family, every default visible in {@link ModelCard}. */
    public static ModelCard.Builder builder() {
        return ModelCard.builder().family(ModelCard.Family.ATTENTION).name("attention");
    }

    /** The graph configuration a card describes, for the given vocabulary sizes. */
    public static ComputationGraphConfiguration configuration(ModelCard card, int sourceVocab, int targetVocab) {
        int h = card.hiddenSize();
        ComputationGraphConfiguration.GraphBuilder g = ZooGraphs.translationBase(card, sourceVocab, targetVocab);

        String below = ZooGraphs.embedding(g, SOURCE_EMBEDDING, SOURCE, sourceVocab, card.embeddingSize());
        int nIn = card.embeddingSize();
        for (int i = 0; i < card.encoderLayers(); i++) {
            String name = GraphNames.encoderLayer(i);
            if (card.encoder() == ModelCard.Encoder.BILSTM_GRAPH) {
                bidirectional(g, name, ZooGraphs.dropout(g, name, below, card), nIn, h / 2);
            } else {
                g.addLayer(name, encoderLayer(card, nIn), ZooGraphs.dropout(g, name, below, card));
            }
            below = name;
            nIn = h;
        }
        String encoderStates = below;                                                      // [mb, h, tSrc]
        String decoderInput = ZooGraphs.targetWithContext(g, card, encoderStates, targetVocab); // [mb, e + h, tTgt]

        if (card.decoder() == ModelCard.Decoder.BAHDANAU || card.inputFeeding()) {
            // Attention inside the recurrence: one vertex runs the decoder RNN and the attention step by step.
            AttentionDecoder.Style style = card.decoder() == ModelCard.Decoder.BAHDANAU
                    ? AttentionDecoder.Style.BAHDANAU : AttentionDecoder.Style.LUONG_INPUT_FEEDING;
            g.addVertex(ATTENTION, new AttentionDecoder.Builder().style(style)
                    .embeddingSize(card.embeddingSize() + h).encoderSize(h).hiddenSize(h).outputSize(h)
                    .attentionSize(card.attentionSize()).score(ScoreType.parse(card.score())).build(),
                    ZooGraphs.dropout(g, ATTENTION, decoderInput, card), encoderStates);
        } else {
            below = decoderInput;
            nIn = card.embeddingSize() + h;
            for (int i = 0; i < card.decoderLayers(); i++) {
                String name = decoderLayer(i);
                g.addLayer(name, lstm(nIn, h),
                        ZooGraphs.dropout(g, name, below, card));
                below = name;
                nIn = h;
            }
            g.addVertex(ATTENTION, new LuongAttention.Builder().decoderSize(h).encoderSize(h).outputSize(h)
                    .attentionSize(card.attentionSize()).score(ScoreType.parse(card.score()))
                    .span(card.attention()).window(card.window()).build(), below, encoderStates);
        }
        ZooGraphs.softmaxOutput(g, card, ATTENTION, h, targetVocab);
        return g.build();
    }

    /**
     * A bidirectional LSTM from graph vertices, named {@code name} (its output [mb, 2 · half, tSrc]):
     * <pre>
     *   →h = LSTM_fwd(x)                  name_fwd
     *   ←h = rev(LSTM_bwd(rev(x)))        name_reversed, name_bwd, then name (the merge) reads name_bwd_reversed
     *   h̄  = [→h ; ←h]                    name (MergeVertex)
     * </pre>
     * where rev reverses each sentence within its real length and leaves the padding at the end
     * ({@link SequenceReverse}, DL4J's {@code ReverseTimeSeriesVertex} with a faster copy, with the source
     * mask), so the backward LSTM starts at the last real token, as in our SameDiff {@link BiLSTM}, with DL4J's
     * own LSTM layers only.
     */
    private static void bidirectional(ComputationGraphConfiguration.GraphBuilder g, String name, String input,
                                      int nIn, int half) {
        g.addLayer(GraphNames.forwardLstm(name), lstm(nIn, half), input);
        g.addVertex(GraphNames.reversedInput(name), new SequenceReverse(SOURCE), input);
        g.addLayer(GraphNames.backwardLstm(name), lstm(nIn, half), GraphNames.reversedInput(name));
        g.addVertex(GraphNames.backwardInSourceOrder(name), new SequenceReverse(SOURCE), GraphNames.backwardLstm(name));
        g.addVertex(name, new MergeVertex(), GraphNames.forwardLstm(name), GraphNames.backwardInSourceOrder(name));
    }

    /** DL4J's LSTM, trained by {@link GemmLstm}. */
    private static Layer lstm(int nIn, int nOut) {
        return GemmLstm.of(new LSTM.Builder().nIn(nIn).nOut(nOut).activation(Activation.TANH).build());
    }

    private static Layer encoderLayer(ModelCard card, int nIn) {
        int h = card.hiddenSize();
        switch (card.encoder()) {
            case LSTM:
                return lstm(nIn, h);
            case BILSTM_BUILTIN:
                return new Bidirectional(Bidirectional.Mode.CONCAT,                  // DL4J's own, for comparison
                        new LSTM.Builder().nIn(nIn).nOut(h / 2).activation(Activation.TANH).build());
            case BILSTM_GRAPH:
                throw new IllegalStateException("bilstm-graph is several vertices, see bidirectional()");
            case BILSTM:
            default:
                return new BiLSTM.Builder().nIn(nIn).nOut(h / 2).build();
        }
    }
}
