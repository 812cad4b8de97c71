package org.attentionzoo.decode.incremental;

import org.attentionzoo.layers.GRU;
import org.attentionzoo.layers.GruCell;
import org.attentionzoo.layers.LstmCell;
import org.attentionzoo.models.GraphNames;
import org.attentionzoo.util.DirectMatmul;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The stacked decoder RNN of the RNN families, layers {@link GraphNames#decoderLayer decoder_0 …
 * decoder_{L−1}}, run one step: layer l maps its input x^l (x^0 the decoder input, x^{l+1} = h^l) and its
 * own previous state to its next state,
 * <pre>
 *   (h^l_t, c^l_t) = LSTM(x^l_t, h^l_{t−1}, c^l_{t−1})     DL4J's built-in LSTM layer ({@link LstmCell}, layout
 *                                                        {@link LstmCell.GateLayout#DL4J_LSTM})
 *   h^l_t = GRU(x^l_t, h^l_{t−1})                          the zoo's SameDiff {@link GRU} ({@link GruCell})
 * </pre>
 * with zero initial states, as the layers start every sequence. Dropout layers between them are the
 * identity at inference and are skipped. The state of layer l is kept as {@code h<l>} (and {@code c<l>} for
 * an LSTM), each [rows, H].
 *
 * <p>The decoder input is x_t = [E y_{t−1} ; c], the target embedding of the previous token and the fixed
 * context. A first LSTM layer's product splits as x_t W = (E y_{t−1}) W_head + c W_tail: {@link
 * #fixedInputProduct} computes c W_tail once per sentence, and {@link #step(int[], INDArray, RowState,
 * RowState.Builder)} looks (E y_{t−1}) W_head up in the table E W_head ({@link TokenProjection}) at each step, or
 * multiplies it where the model has no table.
 */
final class DecoderLayers {

    private final LstmCell[] lstm;
    private final GruCell[] gru;
    /** The first layer's input weights W [nIn, 4H] when it is an LSTM, else null. */
    private final INDArray firstInputWeights;
    /** E, the target embedding that feeds the first layer. */
    private final TokenEmbedding embedding;
    /** E W_head, when the first layer is an LSTM and the model has the table, else null. */
    private final TokenProjection tokenProjection;

    /**
     * @param count     the number of decoder layers (the card's decoderLayers)
     * @param embedding the target embedding E, whose rows begin the first layer's input
     */
    DecoderLayers(ComputationGraph graph, int count, TokenEmbedding embedding) {
        lstm = new LstmCell[count];
        gru = new GruCell[count];
        for (int l = 0; l < count; l++) {
            String name = GraphNames.decoderLayer(l);
            if (graph.getLayer(name) == null) {
                throw new IllegalArgumentException("the graph has no layer \"" + name + "\"");
            }
            org.deeplearning4j.nn.api.Layer layer = graph.getLayer(name);
            Object conf = layer.conf().getLayer();
            if (conf instanceof LSTM c) {
                if (!(c.getActivationFn() instanceof ActivationTanH) || !(c.getGateActivationFn() instanceof ActivationSigmoid)) {
                    throw new IllegalArgumentException("decoder layer \"" + name + "\": only tanh LSTMs with sigmoid gates "
                            + "can be stepped; got " + c.getActivationFn() + " / " + c.getGateActivationFn());
                }
                lstm[l] = new LstmCell(LstmCell.GateLayout.DL4J_LSTM,
                        layer.getParam(LSTMParamInitializer.RECURRENT_WEIGHT_KEY), layer.getParam(LSTMParamInitializer.BIAS_KEY),
                        layer.getParam(LSTMParamInitializer.INPUT_WEIGHT_KEY));
            } else if (conf instanceof GRU) {
                gru[l] = new GruCell(layer.getParam(GRU.INPUT_WEIGHT_KEY), layer.getParam(GRU.RECURRENT_WEIGHT_KEY),
                        layer.getParam(GRU.BIAS_KEY));
            } else {
                throw new IllegalArgumentException("decoder layer \"" + name + "\" is a " + conf.getClass().getSimpleName()
                        + "; only DL4J's LSTM and the zoo's GRU can be stepped");
            }
        }
        firstInputWeights = count > 0 && lstm[0] != null
                ? graph.getLayer(GraphNames.decoderLayer(0)).getParam(LSTMParamInitializer.INPUT_WEIGHT_KEY) : null;
        this.embedding = embedding;
        this.tokenProjection = firstInputWeights == null ? null : TokenProjection.of(graph, GraphNames.decoderLayer(0), embedding, head());
    }

    /** E[tokens], [rows, e]. */
    INDArray embed(int[] tokens) {
        return embedding.lookup(tokens);
    }

    /** W_head: the first layer's input weights for the embedding's columns, [e, 4H]. */
    private INDArray head() {
        return firstInputWeights.get(NDArrayIndex.interval(0, embedding.width()), NDArrayIndex.all());
    }

    /**
     * c W_tail: the first layer's input product for the last {@code fixed.size(1)} columns of its input, or null
     * when the first layer is not an LSTM (then {@link #step(INDArray, RowState, RowState.Builder)} takes the
     * whole input).
     *
     * @param fixed [rows, width], the same at every step of a row's sentence
     * @return [rows, 4H]
     */
    INDArray fixedInputProduct(INDArray fixed) {
        if (firstInputWeights == null) {
            return null;
        }
        long nIn = firstInputWeights.size(0);
        return DirectMatmul.mmul(fixed, firstInputWeights.get(NDArrayIndex.interval(nIn - fixed.size(1), nIn), NDArrayIndex.all()));
    }

    /**
     * Every layer one step, the first from x = [E y ; fixed] given the fixed columns' product
     * ({@link #fixedInputProduct}): z = (E W_head)[y] + (fixed W_tail) + h R + b.
     *
     * @param tokens       y, the previous token of each row
     * @param fixedProduct {@link #fixedInputProduct} of the rows' fixed columns, [rows, 4H]
     */
    INDArray step(int[] tokens, INDArray fixedProduct, RowState previous, RowState.Builder next) {
        INDArray projected = tokenProjection != null ? tokenProjection.rows(tokens)
                : DirectMatmul.mmul(embedding.lookup(tokens), head());
        projected.addi(fixedProduct);
        LstmCell.State s = lstm[0].stepFromProjection(new LstmCell.State(previous.get(h(0)), previous.get(c(0))), projected);
        next.put(h(0), s.h()).put(c(0), s.c());
        return stepFrom(1, s.h(), previous, next);
    }

    /** The zero states of every layer, for {@code rows} rows. */
    void putZeroState(RowState.Builder state, int rows) {
        for (int l = 0; l < lstm.length; l++) {
            if (lstm[l] != null) {
                LstmCell.State s = lstm[l].zeroState(rows);
                state.put(h(l), s.h()).put(c(l), s.c());
            } else {
                state.put(h(l), gru[l].zeroState(rows));
            }
        }
    }

    /**
     * Runs every layer one step.
     *
     * @param x        the decoder input at this step, [rows, nIn]
     * @param previous the states before the step
     * @param next     receives the states after the step
     * @return the top layer's output h^{L−1}_t [rows, H]
     */
    INDArray step(INDArray x, RowState previous, RowState.Builder next) {
        return stepFrom(0, x, previous, next);
    }

    /** Layers {@code first} … L−1 one step, from the input {@code below} of layer {@code first}. */
    private INDArray stepFrom(int first, INDArray below, RowState previous, RowState.Builder next) {
        for (int l = first; l < lstm.length; l++) {
            if (lstm[l] != null) {
                LstmCell.State s = lstm[l].step(new LstmCell.State(previous.get(h(l)), previous.get(c(l))), below);
                next.put(h(l), s.h()).put(c(l), s.c());
                below = s.h();
            } else {
                below = gru[l].step(below, previous.get(h(l)));
                next.put(h(l), below);
            }
        }
        return below;
    }

    private static String h(int layer) {
        return "h" + layer;
    }

    private static String c(int layer) {
        return "c" + layer;
    }
}
