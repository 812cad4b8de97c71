package org.attentionzoo.layers.attention;

import org.attentionzoo.layers.GradientFix;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.buffer.DataType;
import org.attentionzoo.layers.ZooSameDiffVertex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonInclude;

import java.util.Map;
import java.util.Objects;

/**
 * Luong attention (Luong, Pham and Manning 2015, sections 3.1 and 3.2), a SameDiff vertex: every decoder
 * state h_t attends over the encoder states h̄_s of its sentence, all of them (global) or a window (local).
 * <pre>
 *   e_ts = score(h_t, h̄_s)                      dot, general, concat or additive ({@link ScoreType})
 *   a_ts = exp(e_ts) / Σ_s' exp(e_ts')          over real source positions only ({@link MaskedSoftmax}), global;
 *                                               local-m and local-p: over a window ({@link LocalAlignment})
 *   c_t  = Σ_s a_ts h̄_s                         context vector
 *   h̃_t  = tanh(W_c [c_t ; h_t])                attentional state (eq. 5), fed to the softmax
 * </pre>
 * Inputs (NCW): {@value #DECODER} decoder states [mb, dDec, tTgt] and {@value #ENCODER} encoder states
 * [mb, dEnc, tSrc], each with its time mask. Output h̃: [mb, dOut, tTgt], 0 at padded target steps; the
 * decoder's mask is passed on.
 *
 * <p>A vertex has one output, so the alignment a is not part of it. {@link #attend} builds the whole
 * computation and returns h̃, a and c; the vertex returns h̃, and {@link AlignmentProbe} runs the same
 * method over the vertex's own parameters and inputs to show the weights the model used.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class LuongAttention extends ZooSameDiffVertex implements AlignmentVertex {

    /** Name of the decoder-states input. */
    public static final String DECODER = "decoder";
    /** Name of the encoder-states input. */
    public static final String ENCODER = "encoder";
    /** W_c, stored transposed as [dEnc + dDec, dOut] (rows: context first, then decoder state). */
    public static final String W_C = "Wc";

    private long decoderSize;
    private long encoderSize;
    private long outputSize;
    private long attentionSize;
    private ScoreType score;
    /** Null for global attention, so that global vertices keep the JSON form of models saved before local attention. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private AttentionSpan span;
    /** The local window's half-width D; null for global attention. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private Integer window;

    /** For Jackson only. */
    private LuongAttention() {
    }

    private LuongAttention(Builder b) {
        this.decoderSize = b.decoderSize;
        this.encoderSize = b.encoderSize;
        this.outputSize = b.outputSize;
        this.attentionSize = b.attentionSize;
        this.score = b.score;
        this.span = b.span == AttentionSpan.GLOBAL ? null : b.span;
        this.window = this.span == null ? null : b.window;
    }

    public long decoderSize() { return decoderSize; }
    public long encoderSize() { return encoderSize; }
    public long outputSize() { return outputSize; }
    public ScoreType scoreType() { return score; }
    /** Global, local-m or local-p. */
    public AttentionSpan span() { return span == null ? AttentionSpan.GLOBAL : span; }
    /** The local window's half-width D (the paper's default for global attention, where it is unused). */
    public int window() { return window == null ? AttentionSpan.DEFAULT_WINDOW : window; }

    /** A new alignment object of this vertex's span and sizes. */
    @JsonIgnore
    public Alignment alignment() {
        return span().create(decoderSize, attentionSize, window());
    }

    /** A new score object of this vertex's type and sizes. */
    @JsonIgnore
    public AttentionScore scoreFunction() {
        return score.create(decoderSize, encoderSize, attentionSize);
    }

    /** {@link KeptLuongAttention}: a training step computed by hand, inference through the SameDiff graph. */
    @Override
    public GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
                                   boolean initializeParams, DataType networkDatatype) {
        setName(name);
        return new KeptLuongAttention(this, graph, name, idx, paramsView, initializeParams, networkDatatype);
    }

    @Override
    public void defineParametersAndInputs(SDVertexParams params) {
        params.clear();
        params.defineInputs(DECODER, ENCODER);
        scoreFunction().defineParameters(params);
        params.addWeightParam(W_C, encoderSize + decoderSize, outputSize);
        alignment().defineParameters(params);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        scoreFunction().initializeParameters(params);
        Init.xavier(params.get(W_C), encoderSize + decoderSize, outputSize);
        alignment().initializeParameters(params);
    }

    @Override
    public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> inputs, Map<String, SDVariable> params,
                                   Map<String, SDVariable> masks) {
        Outputs out = attend(sd, inputs.get(DECODER), inputs.get(ENCODER), masks.get(ENCODER), params);
        SDVariable decoderMask = sd.expandDims(masks.get(DECODER).castTo(out.attentional().dataType()), 1); // [mb, 1, tTgt]
        return GradientFix.halveGradient(sd, out.attentional().mul(decoderMask));
    }

    @Override
    public SDVariable defineAlignment(SameDiff sd, Map<String, SDVariable> inputs, Map<String, SDVariable> params,
                                      Map<String, SDVariable> masks) {
        return attend(sd, inputs.get(DECODER), inputs.get(ENCODER), masks.get(ENCODER), params).alignment();
    }

    /**
     * The attention computation, shared by the vertex and by alignment extraction.
     *
     * @param decoder     decoder states [mb, dDec, tTgt]
     * @param encoder     encoder states [mb, dEnc, tSrc]
     * @param encoderMask [mb, tSrc]
     */
    public Outputs attend(SameDiff sd, SDVariable decoder, SDVariable encoder, SDVariable encoderMask,
                          Map<String, SDVariable> params) {
        AttentionScore scorer = scoreFunction();
        SDVariable queries = sd.permute(decoder, 0, 2, 1);                                // [mb, tTgt, dDec]
        SDVariable keys = sd.permute(encoder, 0, 2, 1);                                   // [mb, tSrc, dEnc]
        SDVariable e = scorer.scores(sd, queries, scorer.prepareKeys(sd, keys, params), params); // [mb, tTgt, tSrc]
        SDVariable a = alignment().weights(sd, e, queries, encoderMask, params);         // [mb, tTgt, tSrc]
        SDVariable context = sd.mmul(a, keys);                                            // [mb, tTgt, dEnc]
        SDVariable joined = sd.concat(2, context, queries);                               // [mb, tTgt, dEnc + dDec]
        SDVariable attentional = sd.math().tanh(
                Projections.apply(sd, joined, params.get(W_C), false, encoderSize + decoderSize)); // [mb, tTgt, dOut]
        return new Outputs(sd.permute(attentional, 0, 2, 1), a, context);                 // h̃: [mb, dOut, tTgt]
    }

    /**
     * @param attentional h̃ [mb, dOut, tTgt]
     * @param alignment   a [mb, tTgt, tSrc]
     * @param context     c [mb, tTgt, dEnc]
     */
    public record Outputs(SDVariable attentional, SDVariable alignment, SDVariable context) {
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) {
        InputType.InputTypeRecurrent dec = decoderAndEncoder("LuongAttention", inputs,
                new String[]{"decoder states", "encoder states"}, decoderSize, encoderSize, "");
        return InputType.recurrent(outputSize, dec.getTimeSeriesLength(), RNNFormat.NCW);
    }

    @Override
    public LuongAttention clone() {
        LuongAttention copy = new LuongAttention();
        copy.decoderSize = decoderSize;
        copy.encoderSize = encoderSize;
        copy.outputSize = outputSize;
        copy.attentionSize = attentionSize;
        copy.score = score;
        copy.span = span;
        copy.window = window;
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LuongAttention other && decoderSize == other.decoderSize && encoderSize == other.encoderSize
                && outputSize == other.outputSize && attentionSize == other.attentionSize && score == other.score
                && span == other.span && Objects.equals(window, other.window);
    }

    @Override
    public int hashCode() {
        return Objects.hash(decoderSize, encoderSize, outputSize, attentionSize, score, span, window);
    }

    @Override
    public String toString() {
        return "LuongAttention(" + score + (span == null ? "" : ", " + alignment()) + ", decoder " + decoderSize + ", encoder " + encoderSize + " -> " + outputSize + ")";
    }

    /** {@code new LuongAttention.Builder().decoderSize(256).encoderSize(256).outputSize(256).score(GENERAL).build()}. */
    public static final class Builder {
        private long decoderSize;
        private long encoderSize;
        private long outputSize;
        private long attentionSize;
        private ScoreType score = ScoreType.GENERAL;
        private AttentionSpan span = AttentionSpan.GLOBAL;
        private int window = AttentionSpan.DEFAULT_WINDOW;

        /** Size of the decoder states h_t (the queries). */
        public Builder decoderSize(long v) { decoderSize = v; return this; }
        /** Size of the encoder states h̄_s (the keys and values). */
        public Builder encoderSize(long v) { encoderSize = v; return this; }
        /** Size of the attentional state h̃_t; defaults to the decoder size. */
        public Builder outputSize(long v) { outputSize = v; return this; }
        /** Hidden size of the concat/additive scorer; defaults to the decoder size. */
        public Builder attentionSize(long v) { attentionSize = v; return this; }
        /** The score function (default general). */
        public Builder score(ScoreType v) { score = Objects.requireNonNull(v, "score"); return this; }
        /** Global (default), local-m or local-p. */
        public Builder span(AttentionSpan v) { span = Objects.requireNonNull(v, "span"); return this; }
        /** The local window's half-width D (default 10, as in the paper); at least 1. */
        public Builder window(int v) { window = v; return this; }

        public LuongAttention build() {
            if (decoderSize <= 0 || encoderSize <= 0) {
                throw new IllegalArgumentException("LuongAttention needs decoderSize and encoderSize > 0; got "
                        + decoderSize + " and " + encoderSize + ": call .decoderSize(n).encoderSize(n)");
            }
            if (outputSize <= 0) {
                outputSize = decoderSize;
            }
            if (attentionSize <= 0) {
                attentionSize = decoderSize;
            }
            score.create(decoderSize, encoderSize, attentionSize); // validates, e.g. dot needs equal sizes
            span.create(decoderSize, attentionSize, window);        // validates the window
            return new LuongAttention(this);
        }
    }
}
