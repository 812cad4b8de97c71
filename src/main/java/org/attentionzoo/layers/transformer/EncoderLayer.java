package org.attentionzoo.layers.transformer;

import org.attentionzoo.layers.DropoutMaskSource;
import org.attentionzoo.layers.DropoutSameDiffLayer;
import org.attentionzoo.layers.GradientFix;
import org.attentionzoo.layers.InvertedDropout;
import org.attentionzoo.layers.LayerRuntimes;
import org.attentionzoo.layers.SequenceLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Transformer encoder layer (Vaswani et al. 2017, section 3.1), a SameDiff layer: multi-head self-attention
 * and a position-wise feed-forward network, each wrapped in a residual connection and LayerNorm.
 * <pre>
 *   POST-LN (the paper):   z = LayerNorm_1(x + MultiHead(x, x, x))
 *                          y = LayerNorm_2(z + FFN(z))
 *   PRE-LN (option):       z = x + MultiHead(LN_1(x), LN_1(x), LN_1(x))
 *                          y = z + FFN(LN_2(z))              [then LN_f(y) with finalLayerNorm(true)]
 *   FFN(x) = max(0, x W_1 + b_1) W_2 + b_2                   (eq. 2; GELU instead of max(0, .) as an option)
 *   MultiHead: see {@link MultiHeadAttention}, h heads, d_k = d_model / h
 * </pre>
 * Input and output [mb, d_model, T] (NCW). Masks: the time mask [mb, T] is the key padding mask of the
 * self-attention, padded steps output exactly 0 and (being masked keys, with every other operation per step)
 * do not influence the real steps; the mask is passed on unchanged.
 *
 * <p>Parameter keys: {@value MultiHeadAttention#W_Q}, {@value MultiHeadAttention#W_K},
 * {@value MultiHeadAttention#W_V}, {@value MultiHeadAttention#W_O} [d_model, d_model] (and
 * {@code bQ, bK, bV, bO} [1, d_model] with {@code attentionBias(true)}); {@value #W1} [d_model, d_ff],
 * {@value #B1} [1, d_ff], {@value #W2} [d_ff, d_model], {@value #B2} [1, d_model]; LayerNorm gains and biases
 * {@code ln1g, ln1b, ln2g, ln2b} (and {@code lnfg, lnfb} with finalLayerNorm) [1, d_model]. Weights start
 * Xavier-uniform, biases 0, gains 1 (DL4J does not apply its global weightInit to SameDiff layers).
 *
 * <p>Dropout (section 5.4), off by default: {@code residualDropout(p)} drops units of each sub-layer's output
 * before it is added to the sub-layer input (POST: LayerNorm(x + Dropout(Sublayer(x))), PRE:
 * x + Dropout(Sublayer(LN(x)))); {@code attentionDropout(p)} drops attention weights (after the softmax,
 * before the values are averaged; PyTorch's {@code nn.MultiheadAttention} dropout). Both are inverted
 * dropout (survivors scaled by 1/(1 − p)), active only when DL4J trains ({@code fit}, or
 * {@code output}/{@code feedForward} with {@code train = true}); at inference the output is exactly that of
 * the layer without dropout. The masks come from ND4J's random generator in Java and enter the SameDiff
 * graph as placeholders ({@link org.attentionzoo.layers.InvertedDropout}, run by
 * {@link DropoutSameDiffLayer}); with both probabilities 0 the graph has no dropout operations at all.
 *
 * <p>Runtime: with ReLU, {@link KeptEncoderLayer} (a training step computed by hand, its forward pass kept for
 * the backward pass; inference runs this graph); with GELU, the SameDiff graph throughout.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class EncoderLayer extends SequenceLayer implements DropoutMaskSource {

    public static final String W1 = "W1";
    public static final String B1 = "b1";
    public static final String W2 = "W2";
    public static final String B2 = "b2";
    static final String LN1 = "ln1";
    static final String LN2 = "ln2";
    static final String LN_FINAL = "lnf";
    /** Placeholder names of the dropout masks: after self-attention, after the FFN, on the attention weights. */
    static final String DROP_ATTENTION = "dropout_attention";
    static final String DROP_FFN = "dropout_ffn";
    static final String DROP_WEIGHTS = "dropout_weights";

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
    private EncoderLayer() {
    }

    private EncoderLayer(Builder b) {
        super(b);
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

    public long getDModel() { return dModel; }
    public long getHeads() { return heads; }
    public long getDFF() { return dFF; }
    public FeedForwardActivation getActivation() { return activation; }
    public NormPosition getNormPosition() { return norm; }
    public boolean hasFinalLayerNorm() { return finalLayerNorm; }
    /** Dropout probability on each sub-layer's output (0: none). */
    public double getResidualDropout() { return residualDropout; }
    /** Dropout probability on the attention weights (0: none). */
    public double getAttentionDropout() { return attentionDropout; }

    /** The self-attention's configuration (parameter keys without prefix). */
    @JsonIgnore
    public MultiHeadAttention attention() {
        return new MultiHeadAttention(dModel, heads, attentionBias);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        checkInput(inputType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.recurrent(dModel, checkInput(inputType).getTimeSeriesLength(), RNNFormat.NCW);
    }

    private InputType.InputTypeRecurrent checkInput(InputType inputType) {
        return TransformerTypes.recurrentNcw(who(), inputType, dModel);
    }

    @Override
    public void validateInput(INDArray input) {
        checkShape(input, dModel, "d_model");
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        attention().defineParameters(params, "");
        TransformerParams.defineFeedForward(params, "", dModel, dFF);
        TransformerParams.defineLayerNorm(params, LN1, dModel);
        TransformerParams.defineLayerNorm(params, LN2, dModel);
        if (finalLayerNorm) {
            TransformerParams.defineLayerNorm(params, LN_FINAL, dModel);
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        attention().initializeParameters(params, "");
        TransformerParams.initFeedForward(params, "", dModel, dFF);
        TransformerParams.initLayerNorm(params, LN1);
        TransformerParams.initLayerNorm(params, LN2);
        if (finalLayerNorm) {
            TransformerParams.initLayerNorm(params, LN_FINAL);
        }
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        DropoutSameDiffLayer runtime = activation == FeedForwardActivation.RELU
                ? new KeptEncoderLayer(conf, networkDataType) : new DropoutSameDiffLayer(conf, networkDataType);
        return LayerRuntimes.wire(runtime, this, conf, null, layerIndex, paramsView, initializeParams);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        SDVariable x = Blocks.swapFeaturesAndTime(sd, input);                          // [mb, T, d_model]
        MultiHeadAttention mha = attention();
        DataType type = input.dataType();
        SDVariable dropAttention = residualDropout > 0 ? InvertedDropout.placeholder(sd, DROP_ATTENTION, type, 3) : null;
        SDVariable dropFfn = residualDropout > 0 ? InvertedDropout.placeholder(sd, DROP_FFN, type, 3) : null;
        SDVariable dropWeights = attentionDropout > 0 ? InvertedDropout.placeholder(sd, DROP_WEIGHTS, type, 4) : null;
        SDVariable z = Blocks.residual(sd, x, norm, params, LN1,
                in -> mha.attend(sd, in, in, mask, false, params, "", dropWeights).output(), dropAttention);
        SDVariable y = Blocks.residual(sd, z, norm, params, LN2,
                in -> Blocks.feedForward(sd, in, params, "", dModel, dFF, activation), dropFfn);
        if (finalLayerNorm) {
            y = Blocks.layerNorm(sd, y, params.get(LN_FINAL + "g"), params.get(LN_FINAL + "b"));
        }
        SDVariable out = Blocks.swapFeaturesAndTime(sd, y.mul(Blocks.stepMask(sd, mask, y)));   // [mb, d_model, T]
        return GradientFix.halveGradient(sd, out);
    }

    /**
     * Masks for {@link #defineLayer}'s dropout placeholders: [mb, T, d_model] after each sub-layer and
     * [mb, h, T, T] on the attention weights in training, a single 1 at inference.
     */
    @Override
    public Map<String, INDArray> dropoutMasks(boolean training, DataType dataType, INDArray... inputs) {
        Map<String, INDArray> masks = new HashMap<>();
        long mb = inputs[0].size(0);
        long t = inputs[0].size(2);
        if (residualDropout > 0) {
            masks.put(DROP_ATTENTION, InvertedDropout.maskOrIdentity(training, residualDropout, dataType, mb, t, dModel));
            masks.put(DROP_FFN, InvertedDropout.maskOrIdentity(training, residualDropout, dataType, mb, t, dModel));
        }
        if (attentionDropout > 0) {
            masks.put(DROP_WEIGHTS, InvertedDropout.maskOrIdentity(training, attentionDropout, dataType, mb, heads, t, t));
        }
        return masks;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EncoderLayer other)) {
            return false;
        }
        // DL4J's equals compares the lazily built parameter table too, which a configuration read from JSON
        // has not built yet: build it on both sides (it is a function of the configuration).
        getLayerParams();
        other.getLayerParams();
        if (!super.equals(o)) {
            return false;
        }
        return dModel == other.dModel && heads == other.heads && dFF == other.dFF && activation == other.activation
                && norm == other.norm && finalLayerNorm == other.finalLayerNorm && attentionBias == other.attentionBias
                && residualDropout == other.residualDropout && attentionDropout == other.attentionDropout;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), dModel, heads, dFF, activation, norm, finalLayerNorm, attentionBias,
                residualDropout, attentionDropout);
    }

    @Override
    public String toString() {
        return "EncoderLayer(name=" + getLayerName() + ", d_model=" + dModel + ", h=" + heads + ", d_ff=" + dFF + ", "
                + activation + ", " + norm + "-LN" + (finalLayerNorm ? " + final LN" : "")
                + (attentionBias ? ", attention biases" : "")
                + (residualDropout > 0 ? ", residual dropout " + residualDropout : "")
                + (attentionDropout > 0 ? ", attention dropout " + attentionDropout : "") + ")";
    }

    /**
     * {@code new EncoderLayer.Builder().dModel(256).heads(4).dFF(1024).build()}; d_model and h are required,
     * d_ff defaults to 4 d_model (the paper's 512/2048), activation RELU, POST-LN, no final LayerNorm, no
     * attention biases, no dropout.
     */
    public static class Builder extends SameDiffLayer.Builder<Builder> {
        private long dModel;
        private long heads;
        private long dFF;
        private FeedForwardActivation activation = FeedForwardActivation.RELU;
        private NormPosition norm = NormPosition.POST;
        private boolean finalLayerNorm;
        private boolean attentionBias;
        private double residualDropout;
        private double attentionDropout;

        /** d_model: input, output and attention size. */
        public Builder dModel(long v) { dModel = v; return this; }
        /** h: number of heads; must divide d_model. */
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
        /** Dropout probability on the attention weights (default 0: none). */
        public Builder attentionDropout(double p) { attentionDropout = p; return this; }

        @Override
        @SuppressWarnings("unchecked")
        public EncoderLayer build() {
            TransformerParams.validate("EncoderLayer", dModel, heads, dFF);
            if (dFF == 0) {
                dFF = 4 * dModel;
            }
            if (iDropout != null) {
                throw new IllegalArgumentException("EncoderLayer: DL4J's SameDiff layers ignore dropOut(...); use "
                        + "residualDropout(p) and attentionDropout(p), or put a SequenceDropout before this layer");
            }
            InvertedDropout.checkProbability("EncoderLayer residualDropout", residualDropout);
            InvertedDropout.checkProbability("EncoderLayer attentionDropout", attentionDropout);
            return new EncoderLayer(this);
        }
    }
}
