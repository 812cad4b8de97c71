package org.attentionzoo.layers.attention;

import org.attentionzoo.layers.GradientFix;
import org.attentionzoo.layers.PerLengthSameDiffGraphVertex;
import org.attentionzoo.layers.ZooSameDiffVertex;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Recurrent attention decoder, a SameDiff vertex: an LSTM decoder whose attention sits <em>inside</em> the
 * recurrence, so that what it attended to at one step shapes the next. Two styles ({@link Style}).
 *
 * <h2>{@link Style#BAHDANAU} (Bahdanau, Cho and Bengio 2015, section 3.1 and appendix A.2)</h2>
 * For target step i = 1..T, with y_{i-1} the decoder input at step i (the embedding of BOS, then of the
 * target prefix) and h_j the encoder states:
 * <pre>
 *   e_ij = score(s_{i-1}, h_j)                    eq. 6; additive v_aᵀ tanh(W_a s_{i-1} + U_a h_j) in the paper
 *   α_ij = exp(e_ij) / Σ_k exp(e_ik)              eq. 6, over real source positions only ({@link MaskedSoftmax})
 *   c_i  = Σ_j α_ij h_j                           eq. 5
 *   s_i  = LSTM([y_{i-1} ; c_i], s_{i-1})          s_i = f(s_{i-1}, y_{i-1}, c_i), section 3.1 after eq. 4
 *   t_i  = tanh(W_o [s_i ; c_i ; y_{i-1}])         deep output, g(y_{i-1}, s_i, c_i) of eq. 4 / appendix A.2.2
 * </pre>
 * The vertex outputs t_i (size outputSize); the softmax over the target vocabulary belongs to the layer
 * above (an {@code RnnOutputLayer}). Differences from the paper, all deliberate:
 * <ul>
 *   <li>the recurrent unit is an LSTM cell (below) instead of the paper's gated unit with reset and update
 *       gates (appendix A.2.2), fed the concatenation [y_{i-1} ; c_i] where the paper adds C c_i to each
 *       gate: the same thing, since [y ; c] W = y W_y + c W_c;</li>
 *   <li>the initial state is s_0 = 0 (and LSTM cell m_0 = 0), where the paper uses
 *       s_0 = tanh(W_s ←h_1) of the backward encoder: the encoder reaches the decoder only through attention,
 *       and the first step's query is the zero vector (for the additive score that still scores each h_j by
 *       v_aᵀ tanh(U_a h_j); for dot and general it makes the first alignment uniform);</li>
 *   <li>the deep output uses tanh instead of the paper's maxout, and s_i as in eq. 4 and in
 *       p(y_i | s_i, y_{i-1}, c_i) of appendix A.2.2, whose formula for t̃_i writes U_o s_{i-1}
 *       (with s_{i-1} the output would not see the step's own update).</li>
 * </ul>
 *
 * <h2>{@link Style#LUONG_INPUT_FEEDING} (Luong, Pham and Manning 2015, sections 3.1 and 3.3)</h2>
 * <pre>
 *   h_t  = LSTM([y_{t-1} ; h̃_{t-1}], h_{t-1})       input feeding (section 3.3), h̃_0 = 0, h_0 = 0
 *   e_ts = score(h_t, h̄_s)                          eq. 8: dot, general, concat
 *   a_ts = exp(e_ts) / Σ_s' exp(e_ts')              eq. 7, over real source positions only
 *   c_t  = Σ_s a_ts h̄_s
 *   h̃_t  = tanh(W_c [c_t ; h_t])                    eq. 5; stored as {@value #OUTPUT_WEIGHT_KEY}
 * </pre>
 * The vertex outputs h̃_t (size outputSize). Unlike {@link LuongAttention}, which attends over the states
 * of a separate decoder LSTM below it, here h̃_{t-1} enters the next LSTM step.
 *
 * <h2>The LSTM cell (both styles)</h2>
 * With x_t the cell input ([y ; c] or [y ; h̃]), σ the logistic sigmoid, ⊙ the element-wise product:
 * <pre>
 *   z   = y W_y + f W_feed + h_{t-1} W_h + b          [mb, 4H], blocks [i | f | o | g]
 *   i, f, o = σ(z_i), σ(z_f), σ(z_o);  g = tanh(z_g)
 *   m_t = f ⊙ m_{t-1} + i ⊙ g                         cell state
 *   h_t = o ⊙ tanh(m_t)                               hidden state (s_i in Bahdanau's notation)
 * </pre>
 * where f W_feed is the context (Bahdanau) or previous attentional state (Luong) part of the input. No
 * peepholes. Written in elementary SameDiff ops (the fused ops' gradients are unreliable in M2.1).
 *
 * <h2>Inputs, output, masks</h2>
 * Inputs (NCW): {@value #DECODER} the decoder-input embeddings [mb, embeddingSize, tTgt] (y_{i-1} at step i,
 * i.e. embeddings of BOS + target prefix: teacher forcing) and {@value #ENCODER} the encoder states
 * [mb, encoderSize, tSrc], each with its time mask. Output [mb, outputSize, tTgt], exactly 0 at padded target
 * steps; the decoder's mask is passed on. Target padding is expected at the end (as
 * {@code TeacherForcingIterator} makes it): padded steps still update the state, which only later padded
 * steps see. Padded source positions get weight exactly 0.
 *
 * <h2>Implementation</h2>
 * The loop over the target steps is unrolled into the SameDiff graph (the fused {@code lstmLayer} op cannot
 * take a per-step context), so the graph depends on tTgt: {@link #instantiate} returns a
 * {@link PerLengthSameDiffGraphVertex}, which builds one graph per target length. The source length is not
 * baked in. Work that does not depend on the recurrence is done once, outside the loop: the scorer's
 * key-side projection ({@link AttentionScore#prepareKeys}), the y W_y + b part of every step's gates, and
 * (Bahdanau) the deep output of all steps as one matrix product.
 * {@link #defineAlignment} runs the same computation and returns the stacked α [mb, tTgt, tSrc], so
 * {@link AlignmentProbe} shows the weights the decoder used.
 *
 * <p>Parameters (keys without underscores: DL4J splits "vertex_param" keys at the underscore), stored with
 * row vectors multiplied from the left: {@value #INPUT_WEIGHT_KEY} [embeddingSize, 4H],
 * {@value #FEED_WEIGHT_KEY} [encoderSize (Bahdanau) or outputSize (Luong), 4H], {@value #RECURRENT_WEIGHT_KEY}
 * [H, 4H], {@value #BIAS_KEY} [1, 4H], {@value #OUTPUT_WEIGHT_KEY} [H + encoderSize + embeddingSize, outputSize]
 * (Bahdanau; rows s, c, y) or [encoderSize + H, outputSize] (Luong; rows c, h), plus the scorer's
 * ({@link GeneralScore#W_A}, or {@link ConcatScore#W_Q}, {@link ConcatScore#W_K}, {@link ConcatScore#V_A};
 * none for dot). Xavier initialisation for weights (fan-in: the block's rows), zero biases except the forget
 * gate's, which start at 1.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class AttentionDecoder extends ZooSameDiffVertex implements AlignmentVertex {

    /** Where the attention sits in the recurrence. */
    public enum Style {
        /** Bahdanau et al. 2015: score with s_{i-1}, the context enters the LSTM step, deep output. */
        BAHDANAU,
        /** Luong et al. 2015 with input feeding: score with h_t, h̃_{t-1} enters the next LSTM step. */
        LUONG_INPUT_FEEDING
    }

    /** Name of the decoder-input (target embeddings) input. */
    public static final String DECODER = "decoder";
    /** Name of the encoder-states input. */
    public static final String ENCODER = "encoder";
    /** W_y, decoder input to the gates, [embeddingSize, 4H], blocks [i | f | o | g]. */
    public static final String INPUT_WEIGHT_KEY = "Wy";
    /** W_feed, context c_i (Bahdanau) or h̃_{t-1} (Luong) to the gates, [encoderSize or outputSize, 4H]. */
    public static final String FEED_WEIGHT_KEY = "Wfeed";
    /** W_h, recurrent weights [H, 4H]. */
    public static final String RECURRENT_WEIGHT_KEY = "Wh";
    /** Gate biases [1, 4H]; the forget block starts at 1. */
    public static final String BIAS_KEY = "b";
    /** W_o (Bahdanau's deep output) or W_c (Luong's attentional layer), see the class comment for rows. */
    public static final String OUTPUT_WEIGHT_KEY = "Wo";

    private long embeddingSize;
    private long encoderSize;
    private long hiddenSize;
    private long outputSize;
    private long attentionSize;
    private ScoreType score;
    private Style style;

    /** For Jackson only. */
    private AttentionDecoder() {
    }

    private AttentionDecoder(Builder b) {
        this.embeddingSize = b.embeddingSize;
        this.encoderSize = b.encoderSize;
        this.hiddenSize = b.hiddenSize;
        this.outputSize = b.outputSize;
        this.attentionSize = b.attentionSize;
        this.score = b.score;
        this.style = b.style;
    }

    public long embeddingSize() { return embeddingSize; }
    public long encoderSize() { return encoderSize; }
    public long hiddenSize() { return hiddenSize; }
    public long outputSize() { return outputSize; }
    public long attentionSize() { return attentionSize; }
    public ScoreType scoreType() { return score; }
    public Style style() { return style; }

    /** A new score object of this vertex's type and sizes (queries: decoder states of size H). */
    @JsonIgnore
    public AttentionScore scoreFunction() {
        return score.create(hiddenSize, encoderSize, attentionSize);
    }

    /** Size of the second part of the LSTM input: c_i (Bahdanau) or h̃_{t-1} (Luong). */
    private long feedSize() {
        return style == Style.BAHDANAU ? encoderSize : outputSize;
    }

    /** Rows of W_o: [s ; c ; y] (Bahdanau) or [c ; h] (Luong). */
    private long outputWeightRows() {
        return style == Style.BAHDANAU ? hiddenSize + encoderSize + embeddingSize : encoderSize + hiddenSize;
    }

    @Override
    public void defineParametersAndInputs(SDVertexParams params) {
        params.clear();
        params.defineInputs(DECODER, ENCODER);
        scoreFunction().defineParameters(params);
        params.addWeightParam(INPUT_WEIGHT_KEY, embeddingSize, 4 * hiddenSize);
        params.addWeightParam(FEED_WEIGHT_KEY, feedSize(), 4 * hiddenSize);
        params.addWeightParam(RECURRENT_WEIGHT_KEY, hiddenSize, 4 * hiddenSize);
        params.addBiasParam(BIAS_KEY, 1, 4 * hiddenSize);     // rank 2: rank-1 parameter views break reshapes in M2.1
        params.addWeightParam(OUTPUT_WEIGHT_KEY, outputWeightRows(), outputSize);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        scoreFunction().initializeParameters(params);
        Init.xavier(params.get(INPUT_WEIGHT_KEY), embeddingSize, hiddenSize);
        Init.xavier(params.get(FEED_WEIGHT_KEY), feedSize(), hiddenSize);
        Init.xavier(params.get(RECURRENT_WEIGHT_KEY), hiddenSize, hiddenSize);
        Init.xavier(params.get(OUTPUT_WEIGHT_KEY), outputWeightRows(), outputSize);
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray b = params.get(BIAS_KEY);
            b.assign(0);
            b.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(hiddenSize, 2 * hiddenSize)).assign(1.0); // forget gate
        }
    }

    /** Runs on {@link PerLengthSameDiffGraphVertex}: the unrolled graph is built (and kept) per target length. */
    @Override
    public GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
                                   boolean initializeParams, DataType networkDatatype) {
        setName(name);
        return new PerLengthSameDiffGraphVertex(this, graph, name, idx, paramsView, initializeParams, networkDatatype);
    }

    @Override
    public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> inputs, Map<String, SDVariable> params,
                                   Map<String, SDVariable> masks) {
        Outputs out = decode(sd, inputs.get(DECODER), inputs.get(ENCODER), masks.get(ENCODER), params, false);
        SDVariable decoderMask = sd.expandDims(masks.get(DECODER).castTo(out.output().dataType()), 1); // [mb, 1, tTgt]
        return GradientFix.halveGradient(sd, out.output().mul(decoderMask));
    }

    @Override
    public SDVariable defineAlignment(SameDiff sd, Map<String, SDVariable> inputs, Map<String, SDVariable> params,
                                      Map<String, SDVariable> masks) {
        return decode(sd, inputs.get(DECODER), inputs.get(ENCODER), masks.get(ENCODER), params, true).alignment();
    }

    /**
     * The unrolled decoder, shared by the vertex and by alignment extraction.
     *
     * @param decoder        decoder inputs y [mb, embeddingSize, tTgt]; tTgt must be known when the graph is built
     * @param encoder        encoder states [mb, encoderSize, tSrc]
     * @param encoderMask    [mb, tSrc]
     * @param withAlignment  whether to stack the per-step weights into {@link Outputs#alignment()} (leave it
     *                       false in a graph that is differentiated: an unused variable breaks DL4J's backprop)
     */
    public Outputs decode(SameDiff sd, SDVariable decoder, SDVariable encoder, SDVariable encoderMask,
                          Map<String, SDVariable> params, boolean withAlignment) {
        long[] decoderShape = decoder.getShape();
        if (decoderShape == null || decoderShape.length != 3 || decoderShape[2] <= 0) {
            throw new IllegalStateException("AttentionDecoder needs the decoder input's length when its graph is built;"
                    + " got shape " + Arrays.toString(decoderShape));
        }
        int t = (int) decoderShape[2];
        long n = hiddenSize;
        DataType dt = decoder.dataType();
        AttentionScore scorer = scoreFunction();

        SDVariable y = sd.permute(decoder, 0, 2, 1);                                       // [mb, tTgt, dEmb]
        SDVariable keys = sd.permute(encoder, 0, 2, 1);                                    // [mb, tSrc, dEnc]
        SDVariable preparedKeys = scorer.prepareKeys(sd, keys, params);                    // once per source
        MaskedSoftmax.Prepared sourceMask = MaskedSoftmax.prepare(sd, encoderMask, dt);    // [mb, 1, tSrc] x2
        SDVariable gy = Projections.apply(sd, y, params.get(INPUT_WEIGHT_KEY), false, embeddingSize)
                .add(params.get(BIAS_KEY));                                                // y W_y + b: [mb, tTgt, 4H]
        SDVariable wFeed = params.get(FEED_WEIGHT_KEY);
        SDVariable wh = params.get(RECURRENT_WEIGHT_KEY);
        SDVariable wo = params.get(OUTPUT_WEIGHT_KEY);

        // Every variable created here must be used: SameDiff takes unused ones for extra loss variables and
        // then loses DL4J's external-error placeholder. So h_0 = m_0 = 0 (and h̃_0 = 0) are real zero arrays
        // multiplied into the first step, which also keeps W_h (and W_feed) in the graph when tTgt = 1.
        SDVariable batch = decoder.shape().get(SDIndex.interval(0, 1));                   // [1]: mb
        SDVariable h = zeros(sd, batch, n, dt);                                            // h_0 = s_0 = 0
        SDVariable cell = h;                                                               // m_0 = 0
        SDVariable feed = style == Style.LUONG_INPUT_FEEDING ? zeros(sd, batch, outputSize, dt) : null; // h̃_0 = 0

        SDVariable[] states = new SDVariable[t];
        SDVariable[] contexts = new SDVariable[t];
        SDVariable[] outputs = new SDVariable[t];
        SDVariable[] alignments = new SDVariable[t];
        for (int s = 0; s < t; s++) {
            SDVariable gyS = gy.get(SDIndex.all(), SDIndex.point(s), SDIndex.all());      // [mb, 4H]
            if (style == Style.BAHDANAU) {
                Attended att = attend(sd, scorer, h, keys, preparedKeys, sourceMask, params); // query s_{i-1}
                SDVariable[] next = lstmStep(sd, gyS.add(att.context().mmul(wFeed)), h, cell, wh, n);
                h = next[0];
                cell = next[1];
                states[s] = h;                                                             // s_i [mb, H]
                contexts[s] = att.context();                                               // c_i [mb, dEnc]
                alignments[s] = att.alignment();
            } else {
                SDVariable[] next = lstmStep(sd, gyS.add(feed.mmul(wFeed)), h, cell, wh, n);
                h = next[0];
                cell = next[1];
                Attended att = attend(sd, scorer, h, keys, preparedKeys, sourceMask, params); // query h_t
                feed = sd.math().tanh(sd.concat(1, att.context(), h).mmul(wo));           // h̃_t [mb, dOut]
                outputs[s] = feed;
                alignments[s] = att.alignment();
            }
        }
        SDVariable output;
        if (style == Style.BAHDANAU) {
            // Deep output of all steps at once: tanh([s_i ; c_i ; y_{i-1}] W_o)
            SDVariable joined = sd.concat(2, sd.stack(1, states), sd.stack(1, contexts), y); // [mb, tTgt, H+dEnc+dEmb]
            SDVariable deep = sd.math().tanh(Projections.apply(sd, joined, wo, false, outputWeightRows()));
            output = sd.permute(deep, 0, 2, 1);                                            // [mb, dOut, tTgt]
        } else {
            output = sd.stack(2, outputs);                                                 // [mb, dOut, tTgt]
        }
        SDVariable alignment = withAlignment ? sd.concat(1, alignments) : null;           // [mb, tTgt, tSrc]
        return new Outputs(output, alignment);
    }

    /** Attention of one query [mb, H] over the source: weights [mb, 1, tSrc] and context [mb, dEnc]. */
    private Attended attend(SameDiff sd, AttentionScore scorer, SDVariable query, SDVariable keys,
                            SDVariable preparedKeys, MaskedSoftmax.Prepared sourceMask, Map<String, SDVariable> params) {
        SDVariable e = scorer.scores(sd, sd.expandDims(query, 1), preparedKeys, params);  // [mb, 1, tSrc]
        SDVariable a = MaskedSoftmax.apply(sd, e, sourceMask);                             // [mb, 1, tSrc]
        SDVariable context = sd.reshape(sd.mmul(a, keys), -1, encoderSize);                // Σ_j a_j h_j: [mb, dEnc]
        return new Attended(a, context);
    }

    private record Attended(SDVariable alignment, SDVariable context) {
    }

    /**
     * One LSTM step from the input part of the gates (x W_x + b, [mb, 4H], blocks [i | f | o | g]).
     *
     * @return {h_t, m_t}
     */
    private static SDVariable[] lstmStep(SameDiff sd, SDVariable inputGates, SDVariable h, SDVariable cell,
                                         SDVariable wh, long n) {
        SDVariable z = inputGates.add(h.mmul(wh));                                         // [mb, 4H]
        SDVariable ifo = sd.nn().sigmoid(z.get(SDIndex.all(), SDIndex.interval(0L, 3 * n)));
        SDVariable g = sd.math().tanh(z.get(SDIndex.all(), SDIndex.interval(3 * n, 4 * n)));
        SDVariable i = ifo.get(SDIndex.all(), SDIndex.interval(0L, n));
        SDVariable f = ifo.get(SDIndex.all(), SDIndex.interval(n, 2 * n));
        SDVariable o = ifo.get(SDIndex.all(), SDIndex.interval(2 * n, 3 * n));
        SDVariable nextCell = f.mul(cell).add(i.mul(g));                                   // m_t
        SDVariable nextH = o.mul(sd.math().tanh(nextCell));                                // h_t
        return new SDVariable[]{nextH, nextCell};
    }

    private static SDVariable zeros(SameDiff sd, SDVariable batch, long size, DataType dt) {
        SDVariable shape = sd.concat(0, batch, sd.constant(Nd4j.createFromArray(size)).castTo(batch.dataType()));
        return sd.fill(shape, dt, 0.0);                                                    // [mb, size]
    }

    /**
     * @param output    t_i (Bahdanau) or h̃_t (Luong), [mb, outputSize, tTgt], not yet masked
     * @param alignment α [mb, tTgt, tSrc], or null when not asked for
     */
    public record Outputs(SDVariable output, SDVariable alignment) {
    }

    @Override
    public void validateInput(INDArray[] input) {
        if (input.length != 2 || input[0].rank() != 3 || input[1].rank() != 3
                || input[0].size(1) != embeddingSize || input[1].size(1) != encoderSize
                || input[0].size(0) != input[1].size(0)) {
            throw new IllegalArgumentException("AttentionDecoder expects decoder input [mb, " + embeddingSize
                    + ", tTgt] and encoder states [mb, " + encoderSize + ", tSrc] (NCW); got "
                    + Arrays.toString(Arrays.stream(input).map(a -> Arrays.toString(a.shape())).toArray()));
        }
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) {
        InputType.InputTypeRecurrent dec = decoderAndEncoder("AttentionDecoder", inputs,
                new String[]{"decoder-input embeddings", "encoder states"}, embeddingSize, encoderSize,
                ": set .embeddingSize(n).encoderSize(n) to the sizes of its inputs");
        return InputType.recurrent(outputSize, dec.getTimeSeriesLength(), RNNFormat.NCW);
    }

    @Override
    public AttentionDecoder clone() {
        AttentionDecoder copy = new AttentionDecoder();
        copy.embeddingSize = embeddingSize;
        copy.encoderSize = encoderSize;
        copy.hiddenSize = hiddenSize;
        copy.outputSize = outputSize;
        copy.attentionSize = attentionSize;
        copy.score = score;
        copy.style = style;
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttentionDecoder other && embeddingSize == other.embeddingSize
                && encoderSize == other.encoderSize && hiddenSize == other.hiddenSize && outputSize == other.outputSize
                && attentionSize == other.attentionSize && score == other.score && style == other.style;
    }

    @Override
    public int hashCode() {
        return Objects.hash(embeddingSize, encoderSize, hiddenSize, outputSize, attentionSize, score, style);
    }

    @Override
    public String toString() {
        return "AttentionDecoder(" + style + ", " + score + ", embedding " + embeddingSize + ", encoder " + encoderSize
                + ", hidden " + hiddenSize + " -> " + outputSize + ")";
    }

    /**
     * {@code new AttentionDecoder.Builder().style(Style.BAHDANAU).embeddingSize(128).encoderSize(256)
     * .hiddenSize(256).build()}. Defaults: style BAHDANAU; score ADDITIVE for BAHDANAU and GENERAL for
     * LUONG_INPUT_FEEDING (each paper's choice); outputSize and attentionSize the hidden size.
     */
    public static final class Builder {
        private long embeddingSize;
        private long encoderSize;
        private long hiddenSize;
        private long outputSize;
        private long attentionSize;
        private ScoreType score;
        private Style style = Style.BAHDANAU;

        /** Size of the decoder inputs y (target embeddings). */
        public Builder embeddingSize(long v) { embeddingSize = v; return this; }
        /** Size of the encoder states h_j (keys and values). */
        public Builder encoderSize(long v) { encoderSize = v; return this; }
        /** Size H of the LSTM state (the attention queries). */
        public Builder hiddenSize(long v) { hiddenSize = v; return this; }
        /** Size of the output (t_i or h̃_t); defaults to the hidden size. */
        public Builder outputSize(long v) { outputSize = v; return this; }
        /** Hidden size of the concat/additive scorer; defaults to the hidden size. */
        public Builder attentionSize(long v) { attentionSize = v; return this; }
        /** The score function; defaults to ADDITIVE (Bahdanau) or GENERAL (Luong input feeding). */
        public Builder score(ScoreType v) { score = Objects.requireNonNull(v, "score"); return this; }
        /** Where attention sits in the recurrence (default BAHDANAU). */
        public Builder style(Style v) { style = Objects.requireNonNull(v, "style"); return this; }

        public AttentionDecoder build() {
            if (embeddingSize <= 0 || encoderSize <= 0 || hiddenSize <= 0) {
                throw new IllegalArgumentException("AttentionDecoder needs embeddingSize, encoderSize and hiddenSize > 0;"
                        + " got " + embeddingSize + ", " + encoderSize + " and " + hiddenSize
                        + ": call .embeddingSize(n).encoderSize(n).hiddenSize(n)");
            }
            if (outputSize < 0 || attentionSize < 0) {
                throw new IllegalArgumentException("AttentionDecoder: outputSize and attentionSize must be positive "
                        + "(or left unset for the hidden size); got " + outputSize + " and " + attentionSize);
            }
            if (outputSize == 0) {
                outputSize = hiddenSize;
            }
            if (attentionSize == 0) {
                attentionSize = hiddenSize;
            }
            if (score == null) {
                score = style == Style.BAHDANAU ? ScoreType.ADDITIVE : ScoreType.GENERAL;
            }
            score.create(hiddenSize, encoderSize, attentionSize); // validates, e.g. dot needs hiddenSize == encoderSize
            return new AttentionDecoder(this);
        }
    }
}
