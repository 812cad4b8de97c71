package org.attentionzoo.decode.incremental;

import org.attentionzoo.models.GraphNames;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.Seq2Seq;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.function.Function;

/**
 * {@link Seq2Seq} (Cho et al. 2014; Sutskever et al. 2014) decoded one token at a time. The encoder runs
 * once ({@link #encode}) and yields the fixed context c, the top encoder layer's state at the last real
 * source token ({@link GraphNames#CONTEXT}). Each step then feeds token y_{t−1} through
 * <pre>
 *   x_t = [E y_{t−1} ; c]                          the graph's decoder_input (Cho et al.'s s_t = f(s_{t−1}, y_{t−1}, c))
 *   s^l_t = RNN^l(x^l_t, s^l_{t−1}),  x^0 = x_t, x^{l+1} = h^l      decoder layers, LSTM or GRU ({@link DecoderLayers})
 *   log p(y_t | y_&lt;t, x) = log softmax(h^{L−1}_t W + b)          the output layer ({@link SoftmaxOutput})
 * </pre>
 * from zero initial states, exactly what the graph computes at the last position of the prefix.
 * Decoder state per row: the layers' h (and c) [rows, H].
 */
public final class Seq2SeqSteps implements IncrementalDecoder {

    private final Function<int[][], Map<String, INDArray>> encoder;
    private final DecoderLayers layers;
    private final SoftmaxOutput output;

    /** Whether this decoder can step models of the card: the seq2seq family, LSTM or GRU. */
    public static boolean supports(ModelCard card) {
        return card.family() == ModelCard.Family.SEQ2SEQ;
    }

    /** @param graph the card's graph ({@link Seq2Seq#configuration}); its parameters are read, never copied */
    public Seq2SeqSteps(ModelCard card, ComputationGraph graph) {
        if (!supports(card)) {
            throw new IllegalArgumentException("Seq2SeqSteps steps the seq2seq family, not " + card.family());
        }
        this.encoder = RecurrentEncoder.forGraph(graph, card.encoderLayers(), GraphNames.CONTEXT);
        this.layers = new DecoderLayers(graph, card.decoderLayers(), new TokenEmbedding(graph, GraphNames.TARGET_EMBEDDING));
        this.output = new SoftmaxOutput(graph);
    }

    /** @return the context c [mb, h] under {@link GraphNames#CONTEXT} */
    @Override
    public RowState encode(int[][] sources) {
        INDArray context = encoder.apply(sources).get(GraphNames.CONTEXT);
        RowState.Builder encoded = RowState.builder(sources.length).put(GraphNames.CONTEXT, context);
        INDArray contextProduct = layers.fixedInputProduct(context);
        if (contextProduct != null) {
            encoded.put(LuongAttentionSteps.CONTEXT_PRODUCT, contextProduct);
        }
        return encoded.build();
    }

    /**
     * The decoder layers one step from x = [E y ; c], the context's part of the first layer's product taken from
     * {@code sources} when {@link #encode} put it there.
     *
     * @param tokens  y, the previous token of each row
     * @param sources the rows' encoded sentences: c, and c W_tail if computed
     */
    static INDArray decoderStep(DecoderLayers layers, int[] tokens, RowState sources, RowState state,
                                RowState.Builder next) {
        if (sources.has(LuongAttentionSteps.CONTEXT_PRODUCT)) {
            return layers.step(tokens, sources.get(LuongAttentionSteps.CONTEXT_PRODUCT), state, next);
        }
        return layers.step(Nd4j.concat(1, layers.embed(tokens), sources.get(GraphNames.CONTEXT)), state, next); // [rows, e + h]
    }

    @Override
    public RowState initialState(RowState encoded, int[] sentences) {
        RowState.Builder state = RowState.builder(sentences.length);
        layers.putZeroState(state, sentences.length);
        return state.build();
    }

    @Override
    public StepOutput step(RowState encoded, int[] sentences, RowState state, int[] tokens) {
        RowState.Builder next = RowState.builder(tokens.length);
        INDArray top = decoderStep(layers, tokens, encoded.selectShared(sentences), state, next);
        return StepOutput.ofLogits(output.logits(top), next.build());
    }
}
