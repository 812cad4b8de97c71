package org.attentionzoo.decode.incremental;

import org.attentionzoo.layers.transformer.DecoderLayer;
import org.attentionzoo.layers.transformer.PositionalEncoding;
import org.attentionzoo.models.GraphNames;
import org.attentionzoo.models.ModelCard;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Incremental decoding of a zoo Transformer ({@link org.attentionzoo.models.Transformer}, Vaswani et al. 2017):
 * the encoder runs once per batch of sources, and each step runs the decoder stack for the one new target
 * position, with eager ND4J operations on the graph's own parameters (read, as views, from its layers and
 * vertices) in the graph's data type.
 * <pre>
 *   encode:  e = Encoder(x)                       ({@link TransformerEncoder}, or the graph itself for doubles)
 *            K_e^l = e W_K^{cross,l},  V_e^l = e W_V^{cross,l}     per decoder layer l, once per sentence
 *   step t:  h^0 = √d_model · E[y_t] + PE[t]
 *            h^l = DecoderLayer_l(h^{l-1}; cached self-attention keys/values of positions &lt; t; K_e^l, V_e^l)
 *            log p(y_{t+1} | y_≤t, x) = log softmax(h^N W_out + b_out)
 * </pre>
 * Each step costs O(t) attention work per layer instead of the graph's O(t²) re-run of the prefix, and
 * computes what the graph computes at the prefix's last position (the decoder is causal): the tests compare
 * both on the same prefixes.
 *
 * <p>State ({@link RowState}, one row per hypothesis): {@value #POSITION} [rows, 1], the number of tokens fed
 * so far (t), and per decoder layer l the self-attention cache {@code self_keys_l}, {@code self_values_l}
 * [rows, h, t, d_k] (absent before the first token). All rows of one {@link #step} must be at the same
 * position, as they are in greedy decoding, beam search and {@link IncrementalStepModel}; otherwise the step
 * throws. Encoded ({@link #encode}, one row per sentence): {@value EncoderPass#SOURCE_MASK} [mb, tSrc] and
 * {@code cross_keys_l}, {@code cross_values_l} [mb, h, tSrc, d_k].
 *
 * <p>The parameters are read through views of the graph's parameter array, so in-place updates of the graph
 * (training) are seen. Dropout is the identity at inference and is skipped. Not for concurrent use (like the
 * graph itself).
 */
public final class TransformerSteps implements IncrementalDecoder {

    /** State key of the position t of each row: the number of tokens fed so far. */
    public static final String POSITION = "position";

    private final DataType type;
    private final String encoderOutput;
    private final Function<int[][], Map<String, INDArray>> encoder;
    private final TargetEmbedding embedding;
    private final List<DecoderLayerStep> layers = new ArrayList<>();
    private final SoftmaxOutput output;

    /** Whether this class decodes models of that card: the Transformer family. */
    public static boolean supports(ModelCard card) {
        return card.family() == ModelCard.Family.TRANSFORMER;
    }

    /**
     * @param card  the model's card (family TRANSFORMER)
     * @param graph its graph, as {@link org.attentionzoo.models.Transformer#configuration} builds it
     * @throws IllegalArgumentException if the card is of another family or the graph is not shaped as the card says
     */
    public TransformerSteps(ModelCard card, ComputationGraph graph) {
        if (!supports(card)) {
            throw new IllegalArgumentException("TransformerSteps decodes the transformer family; card \"" + card.name()
                    + "\" is " + card.family());
        }
        this.type = graph.params().dataType();
        Stack stack = Stack.of(graph, card.decoderLayers());
        for (int l = 0; l < card.decoderLayers(); l++) {
            String name = GraphNames.decoderLayer(l);
            layers.add(new DecoderLayerStep((DecoderLayer) GraphLayers.vertexConf(graph, name),
                    graph.getVertex(name).paramTable(false)));
        }
        this.encoderOutput = stack.encoderOutput;
        this.encoder = TransformerEncoder.forGraph(graph, encoderOutput);
        this.embedding = new TargetEmbedding(graph, GraphNames.TARGET_EMBEDDING, stack.targetPositions);
        this.output = new SoftmaxOutput(graph);
    }

    /**
     * Where the decoder stack sits in a graph, checked against what this class assumes: target_in → target
     * embedding → PositionalEncoding → (dropout) → decoder_0 → … → decoder_{N−1} → (dropout) → softmax output,
     * every decoder layer reading the same encoder output.
     */
    private record Stack(String targetPositions, String encoderOutput) {

        static Stack of(ComputationGraph graph, int depth) {
            String top = GraphNames.decoderLayer(depth - 1);
            String belowOutput = GraphLayers.belowDropout(graph, GraphLayers.single(graph, GraphNames.OUTPUT));
            require(belowOutput.equals(top), "the output layer reads \"" + belowOutput + "\", expected \"" + top + "\"");
            require(GraphLayers.layerConf(graph, GraphNames.OUTPUT) instanceof BaseOutputLayer o
                    && o.getActivationFn() instanceof ActivationSoftmax, "the output layer is not a softmax output layer");
            String positions = null;
            String encoder = null;
            for (int l = 0; l < depth; l++) {
                String name = GraphNames.decoderLayer(l);
                require(GraphLayers.vertexConf(graph, name) instanceof DecoderLayer, "\"" + name + "\" is not a DecoderLayer");
                List<String> in = GraphLayers.inputs(graph, name);
                require(in.size() == 2, "\"" + name + "\" has inputs " + in);
                String target = GraphLayers.belowDropout(graph, in.get(0));
                if (l == 0) {
                    positions = target;
                    encoder = in.get(1);
                } else {
                    require(target.equals(GraphNames.decoderLayer(l - 1)), "\"" + name + "\" reads \"" + target + "\"");
                    require(in.get(1).equals(encoder), "\"" + name + "\" reads the encoder output from \"" + in.get(1)
                            + "\", decoder_0 from \"" + encoder + "\"");
                }
            }
            require(GraphLayers.layerConf(graph, positions) instanceof PositionalEncoding,
                    "decoder_0 reads \"" + positions + "\", expected the target PositionalEncoding layer");
            String embedding = GraphLayers.single(graph, positions);
            require(embedding.equals(GraphNames.TARGET_EMBEDDING), "\"" + positions + "\" reads \"" + embedding + "\"");
            require(GraphLayers.single(graph, embedding).equals(GraphNames.TARGET_IN),
                    "the target embedding does not read \"" + GraphNames.TARGET_IN + "\"");
            return new Stack(positions, encoder);
        }
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException("not a zoo Transformer graph: " + problem);
        }
    }

    /** The encoder output e from the graph, and per decoder layer the cross-attention's K_e and V_e. */
    @Override
    public RowState encode(int[][] sources) {
        Map<String, INDArray> pass = encoder.apply(sources);
        INDArray e = pass.get(encoderOutput).castTo(type).permute(0, 2, 1);            // [mb, tSrc, d_model]
        RowState.Builder b = RowState.builder(sources.length).put(EncoderPass.SOURCE_MASK, pass.get(EncoderPass.SOURCE_MASK));
        for (int l = 0; l < layers.size(); l++) {
            KeyValues kv = layers.get(l).encoderKeyValues(e);
            b.put(crossKeys(l), kv.keys()).put(crossValues(l), kv.values());
        }
        return b.build();
    }

    /** Position 0 and empty caches. */
    @Override
    public RowState initialState(RowState encoded, int[] sentences) {
        for (int s : sentences) {
            if (s < 0 || s >= encoded.rows()) {
                throw new IllegalArgumentException("sentence " + s + " of " + encoded.rows());
            }
        }
        return RowState.builder(sentences.length).put(POSITION, Nd4j.zeros(type, sentences.length, 1)).build();
    }

    @Override
    public StepOutput step(RowState encoded, int[] sentences, RowState state, int[] tokens) {
        return step(encoded, sentences, state, IntStream.range(0, state.rows()).toArray(), tokens);
    }

    /** The step from the parents' rows: each layer's cache gathered and extended in one pass ({@link KeyValues#appendRows}). */
    @Override
    public StepOutput step(RowState encoded, int[] sentences, RowState parents, int[] parentRows, int[] tokens) {
        int n = tokens.length;
        if (n == 0 || sentences.length != n || parentRows.length != n) {
            throw new IllegalArgumentException("a step needs one token, one sentence and one state row per row; got "
                    + n + " tokens, " + sentences.length + " sentences, " + parentRows.length + " state rows");
        }
        RowState state = parents.select(parentRows, POSITION);
        int t = position(state, parents);
        for (int s : sentences) {
            if (s < 0 || s >= encoded.rows()) {
                throw new IllegalArgumentException("sentence " + s + " of " + encoded.rows());
            }
        }
        INDArray h = embedding.embed(tokens, t);
        RowState.Builder next = RowState.builder(n).put(POSITION, state.get(POSITION).add(1));
        for (int l = 0; l < layers.size(); l++) {
            KeyValues cache = t == 0 ? null : new KeyValues(parents.get(selfKeys(l)), parents.get(selfValues(l)));
            KeyValues cross = new KeyValues(encoded.get(crossKeys(l)), encoded.get(crossValues(l)));
            DecoderLayerStep.Result r = layers.get(l).step(h, cache, parentRows, cross, encoded.get(EncoderPass.SOURCE_MASK),
                    sentences);
            h = r.output();
            if (r.cache().isFresh()) {
                next.putFresh(selfKeys(l), r.cache().keys()).putFresh(selfValues(l), r.cache().values());
            } else {
                next.put(selfKeys(l), r.cache().keys()).put(selfValues(l), r.cache().values());
            }
        }
        return StepOutput.ofLogits(output.logits(h), next.build());
    }

    /** The rows' common position t (of {@code state}, the rows' positions), checked against the parents' cache length. */
    private int position(RowState state, RowState parents) {
        INDArray p = state.get(POSITION);
        double first = p.minNumber().doubleValue();
        double last = p.maxNumber().doubleValue();
        if (first != last) {
            throw new IllegalArgumentException("TransformerSteps steps rows at one position at a time; these rows are at"
                    + " positions " + (long) first + " to " + (long) last + " (prefix lengths differ): step each"
                    + " prefix length separately");
        }
        int t = (int) first;
        long cached = parents.has(selfKeys(0)) ? parents.get(selfKeys(0)).size(2) : 0;
        if (cached != t) {
            throw new IllegalArgumentException("inconsistent state: position " + t + " but " + cached + " cached positions");
        }
        return t;
    }

    static String selfKeys(int layer) {
        return "self_keys_" + layer;
    }

    static String selfValues(int layer) {
        return "self_values_" + layer;
    }

    static String crossKeys(int layer) {
        return "cross_keys_" + layer;
    }

    static String crossValues(int layer) {
        return "cross_values_" + layer;
    }
}
