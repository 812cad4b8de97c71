package org.attentionzoo.layers.transformer;

import org.attentionzoo.layers.DropoutMaskSource;
import org.attentionzoo.layers.GradientFix;
import org.attentionzoo.layers.InvertedDropout;
import org.attentionzoo.layers.ZooSameDiffVertex;
import org.attentionzoo.layers.attention.AlignmentProbe;
import org.attentionzoo.layers.attention.AlignmentVertex;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Transformer decoder layer (Vaswani et al. 2017, section 3.1), a SameDiff vertex: causal (masked)
 * multi-head self-attention, multi-head attention over the encoder output ("encoder-decoder attention"), and
 * a position-wise feed-forward network, each wrapped in a residual connection and LayerNorm.
 * <pre>
 *   POST-LN (the paper):   z_1 = LayerNorm_1(x + MultiHead_self(x, x, x))           queries t see keys s ≤ t
 *                          z_2 = LayerNorm_2(z_1 + MultiHead_cross(z_1, e, e))       e: encoder output
 *                          y   = LayerNorm_3(z_2 + FFN(z_2))
 *   PRE-LN (option):       z_1 = x + MultiHead_self(LN_1(x), ...),  z_2 = z_1 + MultiHead_cross(LN_2(z_1), e, e),
 *                          y = z_2 + FFN(LN_3(z_2))                  [then LN_f(y) with finalLayerNorm(true)]
 *   FFN(x) = max(0, x W_1 + b_1) W_2 + b_2    (GELU option);   MultiHead: {@link MultiHeadAttention}, d_k = d_model / h
 * </pre>
 * Inputs (NCW): {@value #DECODER} [mb, d_model, tTgt] and {@value #ENCODER} [mb, d_model, tSrc], each with its
 * time mask. The decoder mask and the causal mask mask the self-attention's keys, the encoder mask the
 * cross-attention's keys (masked keys get weight exactly 0); padded target steps output exactly 0. Output
 * [mb, d_model, tTgt]; the decoder's mask is passed on, so layers stack with the encoder output as every
 * layer's second input.
 *
 * <p>Parameter keys: self-attention {@code selfWQ, selfWK, selfWV, selfWO}, cross-attention
 * {@code crossWQ, crossWK, crossWV, crossWO} [d_model, d_model] (plus {@code selfbQ, ..., crossbO} [1, d_model]
 * with {@code attentionBias(true)}); FFN {@code W1} [d_model, d_ff], {@code b1} [1, d_ff], {@code W2}
 * [d_ff, d_model], {@code b2} [1, d_model]; LayerNorms {@code ln1g, ln1b, ln2g, ln2b, ln3g, ln3b} (and
 * {@code lnfg, lnfb}) [1, d_model]. Xavier-uniform weights, zero biases, unit gains.
 *
 * <p>Dropout (section 5.4), off by default, as in {@link EncoderLayer}: {@code residualDropout(p)} on each of
 * the three sub-layers' outputs before the residual addition, {@code attentionDropout(p)} on the weights of
 * both attentions; inverted dropout, only when DL4J trains, from masks fed as placeholders
 * ({@link org.attentionzoo.layers.InvertedDropout}, run by {@link org.attentionzoo.layers.FixedSameDiffGraphVertex}).
 * With ReLU, training runs {@link KeptDecoderLayer} (the same function computed by hand, its forward pass kept
 * for the backward pass); inference, and GELU layers throughout, run this graph.
 * At inference, and in {@link #decode} and the alignment methods, there is none.
 *
 * <p>Alignment: {@link #defineAlignment} gives the cross-attention weights averaged over the heads
 * [mb, tTgt, tSrc] (for {@link AlignmentProbe}); {@link #defineHeadAlignments} and {@link #headAlignments}
 * give them per head [mb, h, tTgt, tSrc].
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class DecoderLayer extends ZooSameDiffVertex implements AlignmentVertex, DropoutMaskSource {

    /** Name of the decoder-states input. */
    public static final String DECODER = "decoder";
    /** Name of the encoder-output input. */
    public static final String ENCODER = "encoder";
    /** Key prefix of the causal self-attention's parameters. */
    public static final String SELF = "self";
    /** Key prefix of the encoder-decoder attention's parameters. */
    public static final String CROSS = "cross";
    static final String LN1 = "ln1";
    static final String LN2 = "ln2";
    static final String LN3 = "ln3";
    static final String LN_FINAL = "lnf";
    /** Placeholder names of the dropout masks after each sub-layer and on each attention's weights. */
    static final String DROP_SELF = "dropout_self";
    static final String DROP_CROSS = "dropout_cross";
    static final String DROP_FFN = "dropout_ffn";
    static final String DROP_SELF_WEIGHTS = "dropout_selfWeights";
    static final String DROP_CROSS_WEIGHTS = "dropout_crossWeights";

    private long dModel;
    private long heads;
    private long dFF;
    private FeedForwardActivation activation;
    private NormPosition norm;
    private boolean finalLayerNorm;
    private boolean attentionBias;
    private double residualDropout;
    private double attentionDropout;

    /** For Jackson only. */
    private DecoderLayer() {
    }

    private DecoderLayer(Builder b) {
        this.dModel = b.dModel;
        this.heads = b.heads;
        this.dFF = b.dFF;
        this.activation = b.activation;
        this.norm = b.norm;
        this.finalLayerNorm = b.finalLayerNorm;
        this.attentionBias = b.attentionBias;
        this.residualDropout = b.residualDropout;
        this.attentionDropout = b.attentionDropout;
    }

    public long dModel() { return dModel; }
    public long heads() { return heads; }
    public long dFF() { return dFF; }
    public FeedForwardActivation activation() { return activation; }
    public NormPosition normPosition() { return norm; }
    public boolean hasFinalLayerNorm() { return finalLayerNorm; }
    /** Dropout probability on each sub-layer's output (0: none). */
    public double residualDropout() { return residualDropout; }
    /** Dropout probability on the attention weights (0: none). */
    public double attentionDropout() { return attentionDropout; }

    /** Configuration of each of the two attentions (self: prefix {@value #SELF}, cross: {@value #CROSS}). */
    @JsonIgnore
    public MultiHeadAttention attention() {
        return new MultiHeadAttention(dModel, heads, attentionBias);
    }

    /** {@link KeptDecoderLayer} with ReLU (its training step keeps the forward pass), else the SameDiff runtime. */
    @Override
    public GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
                                   boolean initializeParams, DataType networkDatatype) {
        if (activation != FeedForwardActivation.RELU) {
            return super.instantiate(graph, name, idx, paramsView, initializeParams, networkDatatype);
        }
        setName(name);
        return new KeptDecoderLayer(this, graph, name, idx, paramsView, initializeParams, networkDatatype);
    }

    @Override
    public void defineParametersAndInputs(SDVertexParams params) {
        params.clear();
        params.defineInputs(DECODER, ENCODER);
        attention().defineParameters(params, SELF);
        attention().defineParameters(params, CROSS);
        TransformerParams.defineFeedForward(params, "", dModel, dFF);
        for (String ln : lnPrefixes()) {
            TransformerParams.defineLayerNorm(params, ln, dModel);
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        attention().initializeParameters(params, SELF);
        attention().initializeParameters(params, CROSS);
        TransformerParams.initFeedForward(params, "", dModel, dFF);
        for (String ln : lnPrefixes()) {
            TransformerParams.initLayerNorm(params, ln);
        }
    }

    private String[] lnPrefixes() {
        return finalLayerNorm ? new String[]{LN1, LN2, LN3, LN_FINAL} : new String[]{LN1, LN2, LN3};
    }

    @Override
    public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> inputs, Map<String, SDVariable> params,
                                   Map<String, SDVariable> masks) {
        DataType type = inputs.get(DECODER).dataType();
        Dropout drop = new Dropout(
                residualDropout > 0 ? InvertedDropout.placeholder(sd, DROP_SELF, type, 3) : null,
                residualDropout > 0 ? InvertedDropout.placeholder(sd, DROP_CROSS, type, 3) : null,
                residualDropout > 0 ? InvertedDropout.placeholder(sd, DROP_FFN, type, 3) : null,
                attentionDropout > 0 ? InvertedDropout.placeholder(sd, DROP_SELF_WEIGHTS, type, 4) : null,
                attentionDropout > 0 ? InvertedDropout.placeholder(sd, DROP_CROSS_WEIGHTS, type, 4) : null);
        Outputs out = decode(sd, inputs, params, masks, drop);
        return GradientFix.halveGradient(sd, Blocks.swapFeaturesAndTime(sd, out.output()));
    }

    /**
     * Masks for {@link #defineVertex}'s dropout placeholders: [mb, tTgt, d_model] after each sub-layer,
     * [mb, h, tTgt, tTgt] and [mb, h, tTgt, tSrc] on the two attentions' weights in training, a single 1 at
     * inference.
     */
    @Override
    public Map<String, INDArray> dropoutMasks(boolean training, DataType dataType, INDArray... inputs) {
        Map<String, INDArray> masks = new HashMap<>();
        long mb = inputs[0].size(0);
        long tTgt = inputs[0].size(2);
        long tSrc = inputs[1].size(2);
        if (residualDropout > 0) {
            for (String name : new String[]{DROP_SELF, DROP_CROSS, DROP_FFN}) {
                masks.put(name, InvertedDropout.maskOrIdentity(training, residualDropout, dataType, mb, tTgt, dModel));
            }
        }
        if (attentionDropout > 0) {
            masks.put(DROP_SELF_WEIGHTS, InvertedDropout.maskOrIdentity(training, attentionDropout, dataType, mb, heads,
                    tTgt, tTgt));
            masks.put(DROP_CROSS_WEIGHTS, InvertedDropout.maskOrIdentity(training, attentionDropout, dataType, mb, heads,
                    tTgt, tSrc));
        }
        return masks;
    }

    /** Cross-attention weights averaged over the heads, [mb, tTgt, tSrc]. */
    @Override
    public SDVariable defineAlignment(SameDiff sd, Map<String, SDVariable> inputs, Map<String, SDVariable> params,
                                      Map<String, SDVariable> masks) {
        return decode(sd, inputs, params, masks).crossWeights().mean(1);
    }

    /** Cross-attention weights per head, [mb, h, tTgt, tSrc] (same arguments as {@link #defineAlignment}). */
    public SDVariable defineHeadAlignments(SameDiff sd, Map<String, SDVariable> inputs, Map<String, SDVariable> params,
                                           Map<String, SDVariable> masks) {
        return decode(sd, inputs, params, masks).crossWeights();
    }

    /**
     * The cross-attention weights per head that this vertex, named {@code vertexName} in {@code graph}, used
     * for the given graph inputs and masks (see {@link AlignmentProbe}).
     *
     * @return [mb, h, tTgt, tSrc]
     */
    public static INDArray headAlignments(ComputationGraph graph, String vertexName, INDArray[] inputs,
                                          INDArray[] inputMasks) {
        Object conf = graph.getConfiguration().getVertices().get(vertexName);
        if (!(conf instanceof DecoderLayer layer)) {
            throw new IllegalArgumentException("vertex \"" + vertexName + "\" is not a DecoderLayer");
        }
        return AlignmentProbe.alignments(graph, vertexName, inputs, inputMasks, layer::defineHeadAlignments);
    }

    /**
     * The whole layer without dropout (as at inference), shared by the vertex and the alignment methods.
     *
     * @return output [mb, tTgt, d_model] (0 at padded target steps) and both attentions' weights
     */
    public Outputs decode(SameDiff sd, Map<String, SDVariable> inputs, Map<String, SDVariable> params,
                          Map<String, SDVariable> masks) {
        return decode(sd, inputs, params, masks, new Dropout(null, null, null, null, null));
    }

    /** The dropout-mask placeholders of the three sub-layers and two attentions; null entries for none. */
    private record Dropout(SDVariable self, SDVariable cross, SDVariable ffn, SDVariable selfWeights,
                           SDVariable crossWeights) {
    }

    private Outputs decode(SameDiff sd, Map<String, SDVariable> inputs, Map<String, SDVariable> params,
                           Map<String, SDVariable> masks, Dropout drop) {
        SDVariable x = Blocks.swapFeaturesAndTime(sd, inputs.get(DECODER));          // [mb, tTgt, d_model]
        SDVariable e = Blocks.swapFeaturesAndTime(sd, inputs.get(ENCODER));          // [mb, tSrc, d_model]
        SDVariable decMask = masks.get(DECODER);
        SDVariable encMask = masks.get(ENCODER);
        MultiHeadAttention mha = attention();
        MultiHeadAttention.Result[] self = new MultiHeadAttention.Result[1];
        MultiHeadAttention.Result[] cross = new MultiHeadAttention.Result[1];
        SDVariable z1 = Blocks.residual(sd, x, norm, params, LN1, in -> {
            self[0] = mha.attend(sd, in, in, decMask, true, params, SELF, drop.selfWeights());
            return self[0].output();
        }, drop.self());
        SDVariable z2 = Blocks.residual(sd, z1, norm, params, LN2, in -> {
            cross[0] = mha.attend(sd, in, e, encMask, false, params, CROSS, drop.crossWeights());
            return cross[0].output();
        }, drop.cross());
        SDVariable y = Blocks.residual(sd, z2, norm, params, LN3,
                in -> Blocks.feedForward(sd, in, params, "", dModel, dFF, activation), drop.ffn());
        if (finalLayerNorm) {
            y = Blocks.layerNorm(sd, y, params.get(LN_FINAL + "g"), params.get(LN_FINAL + "b"));
        }
        if (decMask != null) {
            y = y.mul(Blocks.stepMask(sd, decMask, y));
        }
        return new Outputs(y, self[0].weights(), cross[0].weights());
    }

    /**
     * @param output       [mb, tTgt, d_model]
     * @param selfWeights  causal self-attention weights [mb, h, tTgt, tTgt]
     * @param crossWeights encoder-decoder attention weights [mb, h, tTgt, tSrc]
     */
    public record Outputs(SDVariable output, SDVariable selfWeights, SDVariable crossWeights) {
    }

    @Override
    public void validateInput(INDArray[] input) {
        if (input.length != 2 || input[0].rank() != 3 || input[1].rank() != 3 || input[0].size(1) != dModel
                || input[1].size(1) != dModel || input[0].size(0) != input[1].size(0)) {
            throw new IllegalArgumentException("DecoderLayer expects decoder [mb, d_model=" + dModel + ", tTgt] and encoder"
                    + " [mb, d_model, tSrc]; got " + Arrays.toString(Arrays.stream(input).map(INDArray::shape).toArray()));
        }
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) {
        InputType.InputTypeRecurrent dec = decoderAndEncoder("DecoderLayer", inputs,
                new String[]{"decoder input", "encoder output"}, dModel, dModel, " (both must have d_model)");
        return InputType.recurrent(dModel, dec.getTimeSeriesLength(), RNNFormat.NCW);
    }

    @Override
    public DecoderLayer clone() {
        DecoderLayer copy = new DecoderLayer();
        copy.dModel = dModel;
        copy.heads = heads;
        copy.dFF = dFF;
        copy.activation = activation;
        copy.norm = norm;
        copy.finalLayerNorm = finalLayerNorm;
        copy.attentionBias = attentionBias;
        copy.residualDropout = residualDropout;
        copy.attentionDropout = attentionDropout;
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecoderLayer other && dModel == other.dModel && heads == other.heads && dFF == other.dFF
                && activation == other.activation && norm == other.norm && finalLayerNorm == other.finalLayerNorm
                && attentionBias == other.attentionBias && residualDropout == other.residualDropout
                && attentionDropout == other.attentionDropout;
    }

    @Override
    public int hashCode() {
        return Objects.hash(dModel, heads, dFF, activation, norm, finalLayerNorm, attentionBias, residualDropout,
                attentionDropout);
    }

    @Override
    public String toString() {
        return "DecoderLayer(d_model=" + dModel + ", h=" + heads + ", d_ff=" + dFF + ", " + activation + ", " + norm
                + "-LN" + (finalLayerNorm ? " + final LN" : "") + (attentionBias ? ", attention biases" : "")
                + (residualDropout > 0 ? ", residual dropout " + residualDropout : "")
                + (attentionDropout > 0 ? ", attention dropout " + attentionDropout : "") + ")";
    }

    /**
     * {@code new DecoderLayer.Builder().dModel(256).heads(4).dFF(1024).build()}; d_model and h are required,
     * d_ff defaults to 4 d_model, activation RELU, POST-LN, no final LayerNorm, no attention biases, no dropout.
     */
    public static final class Builder {
        private long dModel;
        private long heads;
        private long dFF;
        private FeedForwardActivation activation = FeedForwardActivation.RELU;
        private NormPosition norm = NormPosition.POST;
        private boolean finalLayerNorm;
        private boolean attentionBias;
        private double residualDropout;
        private double attentionDropout;

        /** d_model: size of both inputs and of the output. */
        public Builder dModel(long v) { dModel = v; return this; }
        /** h: number of heads of both attentions; must divide d_model. */
        public Builder heads(long v) { heads = v; return this; }
        /** d_ff: hidden size of the feed-forward network (default 4 d_model). */
        public Builder dFF(long v) { dFF = v; return this; }
        /** Feed-forward non-linearity (default RELU). */
        public Builder activation(FeedForwardActivation v) { activation = Objects.requireNonNull(v); return this; }
        /** POST-LN (default, the paper) or PRE-LN. */
        public Builder normPosition(NormPosition v) { norm = Objects.requireNonNull(v); return this; }
        /** Adds a LayerNorm on the output: for the last layer of a PRE-LN stack. */
        public Builder finalLayerNorm(boolean v) { finalLayerNorm = v; return this; }
        /** Biases on the Q, K, V and output projections (default false, as the paper's equations). */
        public Builder attentionBias(boolean v) { attentionBias = v; return this; }
        /** P_drop of the paper's residual dropout, on each sub-layer's output (default 0: none). */
        public Builder residualDropout(double p) { residualDropout = p; return this; }
        /** Dropout probability on the weights of both attentions (default 0: none). */
        public Builder attentionDropout(double p) { attentionDropout = p; return this; }

        public DecoderLayer build() {
            TransformerParams.validate("DecoderLayer", dModel, heads, dFF);
            InvertedDropout.checkProbability("DecoderLayer residualDropout", residualDropout);
            InvertedDropout.checkProbability("DecoderLayer attentionDropout", attentionDropout);
            if (dFF == 0) {
                dFF = 4 * dModel;
            }
            return new DecoderLayer(this);
        }
    }
}
