package org.attentionzoo.decode.incremental;

import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.layers.LstmCell;
import org.attentionzoo.layers.SequenceReverse;
import org.attentionzoo.models.GraphNames;
import org.attentionzoo.util.DirectBuffers;
import org.attentionzoo.util.DirectMatmul;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The RNN families' encoder run for decoding without the graph: the source embedding, then per layer
 * {@code encoder_l} either one of DL4J's LSTM layers or the bidirectional LSTM the zoo assembles from graph
 * vertices ({@code bilstm-graph}: {@code encoder_l_fwd} on the sentence, {@code encoder_l_bwd} on the
 * sentence reversed within its length, merged as [→h ; ←h]), each direction as
 * <pre>
 *   P = X W                                  every time step's input product at once, [n·T, 4H]; in the
 *                                            first layer X W = (E W)[ids], looked up ({@link TokenProjection})
 *   (h_t, c_t) = LSTM(P_t, h_{t−1}, c_t−1)   from zero states ({@link LstmCell#stepFromProjection})
 * </pre>
 * and the context c = the top layer's state at each sentence's last real token. It computes what the graph
 * computes ({@link EncoderPass}) at every real position (padded positions are 0 here; attention never
 * reads them), in one product per direction and one recurrent step per time step instead of DL4J's
 * layer-by-layer pass, whose overhead is a large share of decoding at small batches. Each direction runs on packed sequences: step s only for the sentences longer than s.
 * Inference only (dropout is the identity); float models.
 */
final class RecurrentEncoder {

    /** The encoder's temporaries live in this workspace (configured as the decoder step's). */
    private static final String WORKSPACE = "attention-zoo-encoder";

    /**
     * One encoder layer: the forward LSTM, the backward one (null for a one-directional layer), their W and, for
     * the first layer, the tables E W that replace embedding and product (null where the model has none).
     */
    private record Layer(LstmCell forward, INDArray forwardW, TokenProjection forwardTable,
                         LstmCell backward, INDArray backwardW, TokenProjection backwardTable) {

        /** Whether the input products come from the tables. */
        boolean looksUp() {
            return forwardTable != null && (backward == null || backwardTable != null);
        }
    }

    private final TokenEmbedding embedding;
    private final List<Layer> layers;
    private final String top;

    private RecurrentEncoder(TokenEmbedding embedding, List<Layer> layers, String top) {
        this.embedding = embedding;
        this.layers = layers;
        this.top = top;
    }

    /**
     * The encoder of a graph whose source side is {@code source_embedding} then {@code encoder_0 …
     * encoder_{L−1}} as described above, in float; null for any other graph (then {@link EncoderPass} runs it).
     */
    static RecurrentEncoder of(ComputationGraph graph, int layerCount) {
        if (graph.params().dataType() != DataType.FLOAT || graph.getLayer(GraphNames.SOURCE_EMBEDDING) == null) {
            return null;
        }
        TokenEmbedding embedding;
        try {
            embedding = new TokenEmbedding(graph, GraphNames.SOURCE_EMBEDDING);
        } catch (IllegalArgumentException notPlain) {
            return null;
        }
        Layer[] layers = new Layer[layerCount];
        for (int l = 0; l < layerCount; l++) {
            String name = GraphNames.encoderLayer(l);
            if (graph.getLayer(name) != null) {
                LstmCell forward = cell(graph, name);
                if (forward == null) {
                    return null;
                }
                INDArray w = inputWeights(graph, name);
                layers[l] = new Layer(forward, w, l == 0 ? TokenProjection.of(graph, name, embedding, w) : null, null, null, null);
            } else if (graph.getConfiguration().getVertices().get(name) instanceof MergeVertex
                    && graph.getConfiguration().getVertexInputs().get(name).equals(
                            List.of(GraphNames.forwardLstm(name), GraphNames.backwardInSourceOrder(name)))
                    && isReverse(graph, GraphNames.backwardInSourceOrder(name))
                    && isReverse(graph, GraphNames.reversedInput(name))) {
                String fwd = GraphNames.forwardLstm(name);
                String bwd = GraphNames.backwardLstm(name);
                LstmCell forward = cell(graph, fwd);
                LstmCell backward = cell(graph, bwd);
                if (forward == null || backward == null) {
                    return null;
                }
                INDArray forwardW = inputWeights(graph, fwd);
                INDArray backwardW = inputWeights(graph, bwd);
                layers[l] = new Layer(forward, forwardW, l == 0 ? TokenProjection.of(graph, fwd, embedding, forwardW) : null,
                        backward, backwardW, l == 0 ? TokenProjection.of(graph, bwd, embedding, backwardW) : null);
            } else {
                return null;
            }
        }
        return new RecurrentEncoder(embedding, List.of(layers), GraphNames.encoderLayer(layerCount - 1));
    }

    private static boolean isReverse(ComputationGraph graph, String vertex) {
        GraphVertex v = graph.getConfiguration().getVertices().get(vertex);
        return v instanceof org.deeplearning4j.nn.conf.graph.rnn.ReverseTimeSeriesVertex;
    }

    /** The step cell of one of DL4J's LSTM layers with tanh and sigmoid gates, else null. */
    private static LstmCell cell(ComputationGraph graph, String layer) {
        if (graph.getLayer(layer) == null || !(graph.getLayer(layer).conf().getLayer() instanceof LSTM conf)
                || !(conf.getActivationFn() instanceof ActivationTanH) || !(conf.getGateActivationFn() instanceof ActivationSigmoid)) {
            return null;
        }
        org.deeplearning4j.nn.api.Layer l = graph.getLayer(layer);
        return new LstmCell(LstmCell.GateLayout.DL4J_LSTM, l.getParam(LSTMParamInitializer.RECURRENT_WEIGHT_KEY),
                l.getParam(LSTMParamInitializer.BIAS_KEY), l.getParam(LSTMParamInitializer.INPUT_WEIGHT_KEY));
    }

    private static INDArray inputWeights(ComputationGraph graph, String layer) {
        return graph.getLayer(layer).getParam(LSTMParamInitializer.INPUT_WEIGHT_KEY);
    }

    /**
     * The encoder pass of a decoder: this class's when the graph has its shape and only the context and the top
     * layer's states are wanted, else the graph's own ({@link EncoderPass}).
     *
     * @param vertices the names wanted, as for {@link EncoderPass#run}
     */
    static Function<int[][], Map<String, INDArray>> forGraph(ComputationGraph graph, int layerCount, String... vertices) {
        RecurrentEncoder encoder = of(graph, layerCount);
        if (encoder != null && Arrays.stream(vertices).allMatch(v -> v.equals(GraphNames.CONTEXT) || v.equals(encoder.top))) {
            return encoder::run;
        }
        return sources -> EncoderPass.run(graph, sources, vertices);
    }

    /**
     * @param sources source ids per sentence, none empty
     * @return as {@link EncoderPass#run}: {@link GraphNames#CONTEXT} → [n, h], {@code encoder_{L−1}} → the states
     * [n, h, T], {@link EncoderPass#SOURCE_MASK} → [n, T]; outside any workspace
     */
    Map<String, INDArray> run(int[][] sources) {
        int n = sources.length;
        SourceBatch batch = SourceBatch.of(sources);
        int[] lengths = batch.lengths();
        int t = batch.padded();
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(IncrementalStepModel.STEP_MEMORY, WORKSPACE)) {
            Packing packing = Packing.of(lengths, t);                      // the same for every layer and direction
            INDArray x = null;                                             // the layer's input [n, T, d], unless looked up
            for (int l = 0; l < layers.size(); l++) {
                Layer layer = layers.get(l);
                boolean lookUp = l == 0 && layer.looksUp();
                if (x == null && !lookUp) {
                    x = embedded(sources, lengths, t);
                }
                INDArray projected = lookUp ? layer.forwardTable.rows(packing.tokens(sources, false))
                        : DirectMatmul.mmul(pack(x, packing), layer.forwardW);                   // P = X W, [Σ lengths, 4H]
                INDArray states = recur(layer.forward, projected, packing, n, t);
                if (layer.backward != null) {
                    projected = lookUp ? layer.backwardTable.rows(packing.tokens(sources, true))
                            : DirectMatmul.mmul(pack(reverse(x, lengths), packing), layer.backwardW);
                    states = Nd4j.concat(2, states, reverse(recur(layer.backward, projected, packing, n, t), lengths));
                }
                x = states;
            }
            out.put(GraphNames.CONTEXT, last(x, lengths).detach());
            out.put(top, x.detach().permute(0, 2, 1));
        }
        out.put(EncoderPass.SOURCE_MASK, batch.mask());
        return out;
    }

    /** The source embedding of each sentence, zero rows ({@code <pad>}'s) after its end: [n, T, e]. */
    private INDArray embedded(int[][] sources, int[] lengths, int t) {
        int n = sources.length;
        int[] ids = new int[n * t];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < t; s++) {
                ids[i * t + s] = s < lengths[i] ? sources[i][s] : Vocabulary.PAD_ID;
            }
        }
        INDArray rows = embedding.lookup(ids);                                                   // [n·T, e]
        return rows.reshape('c', n, t, rows.size(1));
    }

    /**
     * x [n, T, d] packed as PyTorch packs sequences: with the sentences ordered longest first, time step by time
     * step, the a_s sentences longer than s (a prefix of that order); [Σ lengths, d]. In batches of sentences
     * of mixed lengths much of the n·T source positions is padding, which the input product skips.
     */
    private static INDArray pack(INDArray x, Packing packing) {
        int t = (int) x.size(1);
        int d = (int) x.size(2);
        int[] order = packing.order();
        int[] active = packing.active();
        INDArray packed = Nd4j.createUninitialized(DataType.FLOAT, new long[]{packing.total(), d}, 'c');  // time-major tokens
        FloatBuffer in = DirectBuffers.floats(DirectBuffers.denseRowMajor(x) ? x : x.dup('c'));
        FloatBuffer to = DirectBuffers.floats(packed);
        for (int s = 0, at = 0; s < t; s++) {
            for (int k = 0; k < active[s]; k++, at++) {
                to.put(at * d, in, (order[k] * t + s) * d, d);
            }
        }
        return packed;
    }

    /**
     * One LSTM from zero states over a packed input product P ({@link #pack}ed rows times W, [Σ lengths, 4H]):
     * step s computes only the sentences longer than s; [n, T, H], zero after each sentence's end.
     */
    private static INDArray recur(LstmCell cell, INDArray projected, Packing packing, int n, int t) {
        int hidden = cell.hiddenSize();
        int[] order = packing.order();
        int[] active = packing.active();
        INDArray out = Nd4j.zeros(DataType.FLOAT, n, t, hidden);
        FloatBuffer outs = DirectBuffers.floats(out);
        LstmCell.State state = cell.zeroState(active[0]);
        for (int s = 0, offset = 0; s < t; offset += active[s], s++) {
            int a = active[s];
            if (a < state.h().size(0)) {                                  // the shortest sentences ended
                state = new LstmCell.State(state.h().get(NDArrayIndex.interval(0, a), NDArrayIndex.all()),
                        state.c().get(NDArrayIndex.interval(0, a), NDArrayIndex.all()));
            }
            state = cell.stepFromProjection(state, projected.get(NDArrayIndex.interval(offset, offset + a), NDArrayIndex.all()));
            INDArray h = DirectBuffers.floatRows(state.h()) ? state.h() : state.h().dup('c');
            FloatBuffer hs = DirectBuffers.floats(h);
            for (int k = 0; k < a; k++) {
                outs.put((order[k] * t + s) * hidden, hs, k * hidden, hidden);
            }
        }
        return out;
    }

    /**
     * How a batch packs: the sentences by length, longest first (ties in index order), how many are longer than
     * each step s ({@code active[s]}: a prefix of that order), and the number of real tokens.
     */
    private record Packing(int[] order, int[] active, int total) {
        static Packing of(int[] lengths, int t) {
            int[] order = java.util.stream.IntStream.range(0, lengths.length).boxed()
                    .sorted((i, j) -> lengths[j] != lengths[i] ? Integer.compare(lengths[j], lengths[i]) : Integer.compare(i, j))
                    .mapToInt(Integer::intValue).toArray();
            int[] active = new int[t];
            int total = 0;
            for (int length : lengths) {
                for (int s = 0; s < length; s++) {
                    active[s]++;
                }
                total += length;
            }
            return new Packing(order, active, total);
        }

        /**
         * The source tokens in packed order ({@link #pack}), each sentence read forward or, when {@code reversed},
         * backward from its last token (as {@link #reverse} orders it): [Σ lengths].
         */
        int[] tokens(int[][] sources, boolean reversed) {
            int[] ids = new int[total];
            for (int s = 0, at = 0; s < active.length; s++) {
                for (int k = 0; k < active[s]; k++, at++) {
                    int[] sentence = sources[order[k]];
                    ids[at] = sentence[reversed ? sentence.length - 1 - s : s];
                }
            }
            return ids;
        }
    }

    /**
     * Each sentence of x [n, T, d] reversed within its length, zero after it (as {@link SequenceReverse}
     * orders them: the backward LSTM starts at the last real token).
     */
    private static INDArray reverse(INDArray x, int[] lengths) {
        int n = (int) x.size(0);
        int t = (int) x.size(1);
        int d = (int) x.size(2);
        INDArray dense = DirectBuffers.denseRowMajor(x) ? x : x.dup('c');
        INDArray out = Nd4j.zeros(DataType.FLOAT, n, t, d);
        FloatBuffer in = DirectBuffers.floats(dense);
        FloatBuffer to = DirectBuffers.floats(out);
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < lengths[i]; s++) {
                int from = (i * t + lengths[i] - 1 - s) * d;
                int at = (i * t + s) * d;
                for (int c = 0; c < d; c++) {
                    to.put(at + c, in.get(from + c));
                }
            }
        }
        return out;
    }

    /** x[i, lengths[i] − 1, :] for each sentence: [n, d]. */
    private static INDArray last(INDArray x, int[] lengths) {
        int n = (int) x.size(0);
        int t = (int) x.size(1);
        int d = (int) x.size(2);
        INDArray dense = DirectBuffers.denseRowMajor(x) ? x : x.dup('c');
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, new long[]{n, d}, 'c');
        FloatBuffer in = DirectBuffers.floats(dense);
        FloatBuffer to = DirectBuffers.floats(out);
        for (int i = 0; i < n; i++) {
            for (int c = 0, from = (i * t + lengths[i] - 1) * d; c < d; c++) {
                to.put(i * d + c, in.get(from + c));
            }
        }
        return out;
    }
}
