package org.attentionzoo.decode.incremental;

import org.attentionzoo.util.DirectMatmul;
import org.attentionzoo.util.SimdMath;
import org.attentionzoo.layers.attention.LuongAttention;
import org.attentionzoo.models.GraphNames;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.RnnAttention;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Map;
import java.util.function.Function;

/**
 * {@link RnnAttention} with Luong's global attention after the decoder RNN (Luong, Pham and Manning 2015,
 * section 3.1; card decoder {@code luong}, no input feeding) decoded one token at a time. The encoder runs
 * once ({@link #encode}): encoder states h̄_s, the scorer's key-side precomputation (W_a h̄_s for general,
 * W_k h̄_s for concat/additive), the source mask and the fixed context c (the top encoder state at the
 * last real source token, joined to every decoder input as in {@link Seq2SeqSteps}). Each step feeds token
 * y_{t−1} through
 * <pre>
 *   x_t  = [E y_{t−1} ; c]                           decoder_input
 *   h_t  = LSTM^{L−1}(… LSTM^0(x_t) …)               decoder layers, one step each ({@link DecoderLayers})
 *   e_ts = score(h_t, h̄_s)                           dot, general, concat or additive (eq. 8)
 *   a_ts = softmax over real source positions       ({@link SourceAttention}); local attention: over the window
 *                                                    around p_t, t the step's position (kept per row in the state)
 *   c_t  = Σ_s a_ts h̄_s
 *   h̃_t  = tanh(W_c [c_t ; h_t])                     eq. 5, {@link LuongAttention#W_C}
 *   log p(y_t | y_&lt;t, x) = log softmax(h̃_t W + b)
 * </pre>
 * exactly the {@link LuongAttention} vertex and the output layer at the last position of the prefix.
 * Decoder state per row: the decoder layers' h and c [rows, H].
 */
public final class LuongAttentionSteps implements IncrementalDecoder {

    /** c W_tail, the context's part of the first decoder layer's input product ({@link DecoderLayers#fixedInputProduct}). */
    static final String CONTEXT_PRODUCT = "contextProduct";
    /** The target position t of the next step per row, [rows, 1] (local attention's window centre for local-m). */
    static final String POSITION = "position";

    private final Function<int[][], Map<String, INDArray>> encoder;
    private final String encoderStates;
    private final DecoderLayers layers;
    private final SourceAttention attention;
    /** W_c's rows for the context c_t and for the decoder state h_t: h̃_t = tanh(c_t W_cc + h_t W_ch), no concatenation. */
    private final INDArray wcContext;
    private final INDArray wcState;
    private final SoftmaxOutput output;

    /** Whether this decoder can step models of the card: the attention family, Luong decoder, no input feeding. */
    public static boolean supports(ModelCard card) {
        return card.family() == ModelCard.Family.ATTENTION && card.decoder() == ModelCard.Decoder.LUONG
                && !card.inputFeeding();
    }

    /** @param graph the card's graph ({@link RnnAttention#configuration}); its parameters are read, never copied */
    public LuongAttentionSteps(ModelCard card, ComputationGraph graph) {
        if (!supports(card)) {
            throw new IllegalArgumentException("LuongAttentionSteps steps the attention family with the luong decoder"
                    + " and no input feeding; card \"" + card.name() + "\" is not one");
        }
        if (!(graph.getConfiguration().getVertices().get(RnnAttention.ATTENTION) instanceof LuongAttention vertex)) {
            throw new IllegalArgumentException("the graph's \"" + RnnAttention.ATTENTION + "\" vertex is not LuongAttention");
        }
        this.encoderStates = SourceAttention.encoderStatesVertex(graph);
        this.encoder = RecurrentEncoder.forGraph(graph, card.encoderLayers(), GraphNames.CONTEXT, encoderStates);
        this.layers = new DecoderLayers(graph, card.decoderLayers(), new TokenEmbedding(graph, GraphNames.TARGET_EMBEDDING));
        this.attention = new SourceAttention(vertex.scoreFunction(), vertex.alignment(), graph);
        INDArray wc = graph.getVertex(RnnAttention.ATTENTION).paramTable(false).get(LuongAttention.W_C);
        this.wcContext = wc.get(NDArrayIndex.interval(0, vertex.encoderSize()), NDArrayIndex.all());
        this.wcState = wc.get(NDArrayIndex.interval(vertex.encoderSize(), wc.rows()), NDArrayIndex.all());
        this.output = new SoftmaxOutput(graph);
    }

    /** @return the context c, the keys, prepared keys and source mask, one row per sentence */
    @Override
    public RowState encode(int[][] sources) {
        Map<String, INDArray> pass = encoder.apply(sources);
        RowState.Builder encoded = RowState.builder(sources.length).put(GraphNames.CONTEXT, pass.get(GraphNames.CONTEXT));
        INDArray contextProduct = layers.fixedInputProduct(pass.get(GraphNames.CONTEXT));
        if (contextProduct != null) {
            encoded.put(CONTEXT_PRODUCT, contextProduct);
        }
        attention.putEncoded(encoded, pass.get(encoderStates), pass.get(EncoderPass.SOURCE_MASK));
        return encoded.build();
    }

    @Override
    public RowState initialState(RowState encoded, int[] sentences) {
        RowState.Builder state = RowState.builder(sentences.length);
        layers.putZeroState(state, sentences.length);
        state.put(POSITION, Nd4j.zeros(DataType.FLOAT, sentences.length, 1));
        return state.build();
    }

    @Override
    public StepOutput step(RowState encoded, int[] sentences, RowState state, int[] tokens) {
        RowState sources = encoded.selectShared(sentences, SourceAttention.READ_IN_PLACE);
        RowState.Builder next = RowState.builder(tokens.length);
        INDArray h = Seq2SeqSteps.decoderStep(layers, tokens, sources, state, next);   // h_t [rows, H]
        INDArray position = state.get(POSITION);                                                 // t [rows, 1]
        next.put(POSITION, position.add(1.0));
        SourceAttention.Attended attended = attention.attend(h, encoded, sources, sentences, position);
        INDArray c = attended.context();                                                         // c_t [rows, dEnc]
        INDArray attentional = SimdMath.tanhInPlace(DirectMatmul.mmulAdd(h, wcState, DirectMatmul.mmul(c, wcContext))); // h̃_t [rows, dOut]
        return StepOutput.ofLogits(output.logits(attentional), next.build()).withAttention(attended.weights());
    }
}
