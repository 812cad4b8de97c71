package org.attentionzoo.decode.incremental;

import org.attentionzoo.util.DirectMatmul;
import org.attentionzoo.util.SimdMath;
import org.attentionzoo.layers.LstmCell;
import org.attentionzoo.layers.attention.AttentionDecoder;
import org.attentionzoo.models.GraphNames;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.RnnAttention;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.function.Function;

/**
 * {@link RnnAttention} with the attention inside the recurrence, the {@link AttentionDecoder} vertex (card
 * decoder {@code bahdanau}, or {@code luong} with input feeding), decoded one token at a time. The encoder
 * runs once ({@link #encode}): encoder states h̄_j, the scorer's key-side precomputation (U_a h̄_j for
 * additive/concat, W_a h̄_j for general), the source mask and the fixed context c joined to every decoder
 * input. Each step feeds y_{t−1} = [E token ; c] (the graph's decoder_input) through one step of the
 * vertex's unrolled loop, with the LSTM cell of {@link AttentionDecoder} ({@link LstmCell}, gate blocks
 * [i | f | o | g], input weights W_y and W_feed):
 * <pre>
 * Bahdanau, Cho and Bengio 2015 (section 3.1, appendix A.2):
 *   c_i = Σ_j α_ij h̄_j,  α_i = softmax_j score(s_{i−1}, h̄_j)          query: the previous state s_{i−1}
 *   (s_i, m_i) = LSTM([y_{i−1} ; c_i], s_{i−1}, m_{i−1})
 *   t_i = tanh(W_o [s_i ; c_i ; y_{i−1}])                             deep output
 * Luong, Pham and Manning 2015 with input feeding (sections 3.1, 3.3):
 *   (h_t, m_t) = LSTM([y_{t−1} ; h̃_{t−1}], h_{t−1}, m_{t−1})
 *   c_t = Σ_s a_ts h̄_s,  a_t = softmax_s score(h_t, h̄_s)               query: the new state h_t
 *   h̃_t = tanh(W_c [c_t ; h_t])                                       output, and the next step's feed
 * then in both: log p(y | y_&lt;t, x) = log softmax(t_i or h̃_t · W + b)
 * </pre>
 * from s_0 = m_0 = 0 and h̃_0 = 0. Decoder state per row: {@value #H}, {@value #M} [rows, H] and
 * (Luong) {@value #FEED} [rows, dOut].
 */
public final class AttentionDecoderSteps implements IncrementalDecoder {

    /** The LSTM's hidden state s_{i−1} / h_{t−1}. */
    static final String H = "h";
    /** The LSTM's cell state m. */
    static final String M = "m";
    /** Luong input feeding: the previous attentional state h̃_{t−1}. */
    static final String FEED = "feed";

    private final Function<int[][], Map<String, INDArray>> encoder;
    private final String encoderStates;
    private final AttentionDecoder.Style style;
    private final TokenEmbedding embedding;
    private final LstmCell cell;
    private final SourceAttention attention;
    private final INDArray wo;
    private final long feedSize;
    private final SoftmaxOutput output;

    /** Whether this decoder can step models of the card: the attention family, Bahdanau or input feeding. */
    public static boolean supports(ModelCard card) {
        return card.family() == ModelCard.Family.ATTENTION
                && (card.decoder() == ModelCard.Decoder.BAHDANAU || card.inputFeeding());
    }

    /** @param graph the card's graph ({@link RnnAttention#configuration}); its parameters are read, never copied */
    public AttentionDecoderSteps(ModelCard card, ComputationGraph graph) {
        if (!supports(card)) {
            throw new IllegalArgumentException("AttentionDecoderSteps steps the attention family with the bahdanau"
                    + " decoder or input feeding; card \"" + card.name() + "\" is not one");
        }
        if (!(graph.getConfiguration().getVertices().get(GraphNames.ATTENTION) instanceof AttentionDecoder vertex)) {
            throw new IllegalArgumentException("the graph's \"" + GraphNames.ATTENTION + "\" vertex is not an AttentionDecoder");
        }
        Map<String, INDArray> params = graph.getVertex(GraphNames.ATTENTION).paramTable(false);
        this.encoderStates = SourceAttention.encoderStatesVertex(graph);
        this.encoder = RecurrentEncoder.forGraph(graph, card.encoderLayers(), GraphNames.CONTEXT, encoderStates);
        this.style = vertex.style();
        this.embedding = new TokenEmbedding(graph, GraphNames.TARGET_EMBEDDING);
        this.cell = new LstmCell(LstmCell.GateLayout.IFOG, params.get(AttentionDecoder.RECURRENT_WEIGHT_KEY),
                params.get(AttentionDecoder.BIAS_KEY), params.get(AttentionDecoder.INPUT_WEIGHT_KEY),
                params.get(AttentionDecoder.FEED_WEIGHT_KEY));
        this.attention = new SourceAttention(vertex.scoreFunction(), graph);
        this.wo = params.get(AttentionDecoder.OUTPUT_WEIGHT_KEY);
        this.feedSize = vertex.outputSize();
        this.output = new SoftmaxOutput(graph);
    }

    /** @return the context c, the keys, prepared keys and source mask, one row per sentence */
    @Override
    public RowState encode(int[][] sources) {
        Map<String, INDArray> pass = encoder.apply(sources);
        RowState.Builder encoded = RowState.builder(sources.length).put(GraphNames.CONTEXT, pass.get(GraphNames.CONTEXT));
        attention.putEncoded(encoded, pass.get(encoderStates), pass.get(EncoderPass.SOURCE_MASK));
        return encoded.build();
    }

    @Override
    public RowState initialState(RowState encoded, int[] sentences) {
        int rows = sentences.length;
        LstmCell.State zero = cell.zeroState(rows);
        RowState.Builder state = RowState.builder(rows).put(H, zero.h()).put(M, zero.c());
        if (style == AttentionDecoder.Style.LUONG_INPUT_FEEDING) {
            state.put(FEED, Nd4j.zeros(zero.h().dataType(), rows, feedSize));
        }
        return state.build();
    }

    @Override
    public StepOutput step(RowState encoded, int[] sentences, RowState state, int[] tokens) {
        RowState sources = encoded.selectShared(sentences, SourceAttention.READ_IN_PLACE);
        INDArray y = Nd4j.concat(1, embedding.lookup(tokens), sources.get(GraphNames.CONTEXT)); // y_{t−1} [rows, e + h]
        LstmCell.State previous = new LstmCell.State(state.get(H), state.get(M));
        RowState.Builder next = RowState.builder(tokens.length);
        INDArray out;
        SourceAttention.Attended attended;
        if (style == AttentionDecoder.Style.BAHDANAU) {
            attended = attention.attend(previous.h(), encoded, sources, sentences);
            INDArray c = attended.context();                                             // c_i, query s_{i−1}
            LstmCell.State s = cell.step(previous, y, c);                                // s_i, m_i
            out = SimdMath.tanhInPlace(DirectMatmul.mmul(Nd4j.concat(1, s.h(), c, y), wo));          // t_i
            next.put(H, s.h()).put(M, s.c());
        } else {
            LstmCell.State s = cell.step(previous, y, state.get(FEED));                  // h_t, m_t
            attended = attention.attend(s.h(), encoded, sources, sentences);
            INDArray c = attended.context();                                             // c_t, query h_t
            out = SimdMath.tanhInPlace(DirectMatmul.mmul(Nd4j.concat(1, c, s.h()), wo));             // h̃_t
            next.put(H, s.h()).put(M, s.c()).put(FEED, out);
        }
        return StepOutput.ofLogits(output.logits(out), next.build()).withAttention(attended.weights());
    }
}
