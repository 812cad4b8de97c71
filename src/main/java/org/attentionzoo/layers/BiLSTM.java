package org.attentionzoo.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMActivations;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDataFormat;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDirectionMode;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMLayerConfig;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.weights.LSTMLayerWeights;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Bidirectional LSTM encoder, a SameDiff layer: {@code h_j = [→h_j ; ←h_j]}.
 *
 * <p>Input {@code [mb, nIn, T]}, output {@code [mb, 2 nOut, T]} (DL4J's NCW format), where <b>{@code nOut}
 * is the size of one direction</b>: rows {@code 0..nOut-1} of the output are the forward states
 * {@code →h_j}, rows {@code nOut..2nOut-1} the backward states {@code ←h_j}. Each direction is a standard
 * LSTM without peepholes, zero initial state, for its own weights (sigma: logistic sigmoid, {@code ⊙}:
 * element-wise product):
 * <pre>
 *   z_t = x_t Wx + h_{t-1} Wr + b                       [mb, 4 nOut], gate blocks [i | f | g | o]
 *   i_t = sigma(z_i),  f_t = sigma(z_f),  g_t = tanh(z_g),  o_t = sigma(z_o)
 *   c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t,      h_t = o_t ⊙ tanh(c_t),        h_0 = c_0 = 0
 * </pre>
 * The gate order [i | f | g | o] (input, forget, cell candidate, output) is that of libnd4j's
 * {@code lstmLayer} op, established by {@code BiLSTMReferenceTest} against a step-by-step INDArray LSTM.
 * For an example with L real steps (time mask {@code m}, [mb, T], 1 = real token, padding at the end):
 * <pre>
 *   →h_1..→h_L  forward LSTM over x_1, ..., x_L            (weights FWD_*)
 *   ←h_L..←h_1  forward LSTM over x_L, x_{L-1}, ..., x_1    (weights BWD_*): the backward direction
 *                starts at the example's own last real token, never at padding
 *   y_j = m_j [→h_j ; ←h_j]                                 padded steps (m_j = 0) output exactly 0
 * </pre>
 * so the outputs at real steps equal those of the example run alone without padding
 * ({@code BiLSTMMaskTest}). The mask must be right-padded (a prefix of ones); a mask with a 0 followed by a
 * 1 is not supported (the backward direction would start at the wrong step). Without a mask every step is
 * real.
 *
 * <h2>Implementation</h2>
 * Two forward-only fused {@code lstmLayer} ops (format NST = [mb, nIn, T], direction FWD, sigmoid / tanh /
 * tanh, full sequence returned, no initial state, no peepholes, <em>no sequence lengths</em>): in M2.1 the
 * op's backprop is wrong when it is given sequence lengths ({@code docs/dl4j-notes.md}), and right without them
 * ({@code BiLSTMGradientCheckTest}). The backward direction runs the forward op on
 * {@code reverseSequence(x, L, time, batch)}, which reverses only the first L steps of each example and
 * leaves its padding at the end, and reverses its output back the same way. Padded steps are clean by
 * construction: the input is multiplied by the 0/1 mask before either LSTM (padding never enters a
 * state a real step reads: in both runs it comes after the real steps), the mask is made exactly 0/1
 * with {@code mask > 0}, no array is created uninitialised, and the output is multiplied by the mask.
 * Because T is not baked into the graph, one SameDiff graph serves every sequence length. This graph is the
 * definition and runs at inference; a training step runs {@link KeptBiLSTM}, the same function computed by hand
 * with its forward pass kept for the backward pass (equal to this graph to 1e-10 in double, {@code KeptBiLSTMTest}),
 * because training through this graph grows native memory with every step in M2.1.
 *
 * <h2>Parameters</h2>
 * Six, forward and backward separately, gates [i | f | g | o] side by side:
 * {@value #FWD_INPUT_WEIGHT_KEY}, {@value #BWD_INPUT_WEIGHT_KEY} [nIn, 4 nOut];
 * {@value #FWD_RECURRENT_WEIGHT_KEY}, {@value #BWD_RECURRENT_WEIGHT_KEY} [nOut, 4 nOut];
 * {@value #FWD_BIAS_KEY}, {@value #BWD_BIAS_KEY} [1, 4 nOut] (stored rank 2, reshaped to the op's [4 nOut]
 * inside the graph). Weights are initialised by the builder's {@code weightInit} (default XAVIER) with
 * fan-in nIn (input weights) or nOut (recurrent weights) and fan-out nOut, as {@link GRU} does; biases
 * are 0 except the forget-gate block, which starts at
 * {@code forgetGateBiasInit} (default 1.0, as DL4J's LSTM and Jozefowicz et al. 2015 recommend: the cell
 * initially keeps its memory, which helps gradients flow over long sequences). DL4J applies neither the
 * network-wide {@code weightInit} nor dropout to SameDiff layers: set the initialisation here and put
 * dropout in a layer of its own.
 *
 * <h2>Compared with DL4J's {@code Bidirectional(CONCAT, LSTM)}</h2>
 * Same kind of cell (no peepholes) and output layout ([forward ; backward] along dimension 1), but a
 * different parameter layout and gate order (DL4J's LSTM has its own; a straight copy of its weights did
 * not reproduce its outputs under any of the 24 gate-block permutations, so the two are not
 * weight-compatible) and initialisation (DL4J's LSTM uses the network-wide weightInit, fan-in nOut,
 * fan-out nIn + nOut). <b>Masks differ</b>: in a ComputationGraph the built-in layer does not see the
 * input mask in its forward pass ({@code LSTM.feedForwardMaskArray} does not store it, and a graph never
 * calls {@code setMaskArray} on hidden layers), so it runs over the padding: its backward direction starts
 * at step T-1, padded inputs change the backward states of real tokens, and padded steps output non-zero
 * values ({@code BuiltInBidirectionalMaskTest}; only the loss is masked, by the output layer's label mask).
 * This layer starts the backward direction at each example's last real token and outputs 0 at padding,
 * so switching between the two changes the function computed on padded batches, not only the speed.
 *
 * No {@code rnnTimeStep} state carrying.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
public class BiLSTM extends RecurrentSequenceLayer {

    /** Forward direction, input-to-hidden weights [nIn, 4 nOut], gates [i | f | g | o]. */
    public static final String FWD_INPUT_WEIGHT_KEY = "fWx";
    /** Forward direction, hidden-to-hidden weights [nOut, 4 nOut], gates [i | f | g | o]. */
    public static final String FWD_RECURRENT_WEIGHT_KEY = "fWr";
    /** Forward direction, biases [1, 4 nOut], gates [i | f | g | o]. */
    public static final String FWD_BIAS_KEY = "fb";
    /** Backward direction, input-to-hidden weights [nIn, 4 nOut], gates [i | f | g | o]. */
    public static final String BWD_INPUT_WEIGHT_KEY = "bWx";
    /** Backward direction, hidden-to-hidden weights [nOut, 4 nOut], gates [i | f | g | o]. */
    public static final String BWD_RECURRENT_WEIGHT_KEY = "bWr";
    /** Backward direction, biases [1, 4 nOut], gates [i | f | g | o]. */
    public static final String BWD_BIAS_KEY = "bb";

    /** Default initial value of the forget-gate biases. */
    public static final double DEFAULT_FORGET_GATE_BIAS = 1.0;

    /** Index of the forget gate's block in the gate order [i | f | g | o]. */
    static final int FORGET_GATE_BLOCK = 1;

    private double forgetGateBiasInit = DEFAULT_FORGET_GATE_BIAS;

    /** For Jackson only. */
    private BiLSTM() {
    }

    private BiLSTM(Builder builder) {
        super(builder);
        this.forgetGateBiasInit = builder.forgetGateBiasInit;
    }

    /**
     * @return initial value of the forget-gate biases of both directions. Not {@code @JsonIgnore}: Jackson
     * would then drop the field of the same name from the JSON too (getNIn/getNOut need it because their
     * property names, "nin"/"nout", do not match the fields).
     */
    public double getForgetGateBiasInit() {
        return forgetGateBiasInit;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeRecurrent r = recurrentNcw(inputType);
        return InputType.recurrent(2 * nOut, r.getTimeSeriesLength(), RNNFormat.NCW);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        params.addWeightParam(FWD_INPUT_WEIGHT_KEY, nIn, 4 * nOut);
        params.addWeightParam(FWD_RECURRENT_WEIGHT_KEY, nOut, 4 * nOut);
        params.addWeightParam(BWD_INPUT_WEIGHT_KEY, nIn, 4 * nOut);
        params.addWeightParam(BWD_RECURRENT_WEIGHT_KEY, nOut, 4 * nOut);
        // rank 2: rank-1 parameter views break reshapes in M2.1 (docs/dl4j-notes.md); reshaped to [4 nOut] in the graph
        params.addBiasParam(FWD_BIAS_KEY, 1, 4 * nOut);
        params.addBiasParam(BWD_BIAS_KEY, 1, 4 * nOut);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            initWeight(params.get(FWD_INPUT_WEIGHT_KEY), FWD_INPUT_WEIGHT_KEY, nIn);
            initWeight(params.get(FWD_RECURRENT_WEIGHT_KEY), FWD_RECURRENT_WEIGHT_KEY, nOut);
            initWeight(params.get(BWD_INPUT_WEIGHT_KEY), BWD_INPUT_WEIGHT_KEY, nIn);
            initWeight(params.get(BWD_RECURRENT_WEIGHT_KEY), BWD_RECURRENT_WEIGHT_KEY, nOut);
            for (String key : new String[]{FWD_BIAS_KEY, BWD_BIAS_KEY}) {
                INDArray b = params.get(key);
                b.assign(0);
                b.get(NDArrayIndex.all(), NDArrayIndex.interval(FORGET_GATE_BLOCK * nOut, (FORGET_GATE_BLOCK + 1) * nOut))
                        .assign(forgetGateBiasInit);
            }
        }
    }

    /** The runtime: {@link KeptBiLSTM}, whose training step is computed by hand; this graph at inference. */
    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return LayerRuntimes.wire(new KeptBiLSTM(conf, networkDataType), this, conf, listeners, layerIndex,
                paramsView, initializeParams);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        DataType type = input.dataType();
        // Every variable created here must feed the output (dangling ones break DL4J's backprop).
        SDVariable m = sd.gt(mask, 0.0).castTo(type);                   // [mb, T], exactly 0/1
        SDVariable lengths = m.sum(1).castTo(DataType.INT64);           // [mb]: real steps per example
        SDVariable m3 = sd.expandDims(m, 1);                            // [mb, 1, T]
        SDVariable x = input.mul(m3);                                   // padded steps: input 0

        SDVariable fwd = lstm(sd, x, params.get(FWD_INPUT_WEIGHT_KEY), params.get(FWD_RECURRENT_WEIGHT_KEY),
                params.get(FWD_BIAS_KEY));
        SDVariable xRev = sd.reverseSequence(x, lengths, 2, 0);         // x_L..x_1, then the padding
        SDVariable bwdRev = lstm(sd, xRev, params.get(BWD_INPUT_WEIGHT_KEY), params.get(BWD_RECURRENT_WEIGHT_KEY),
                params.get(BWD_BIAS_KEY));
        SDVariable bwd = sd.reverseSequence(bwdRev, lengths, 2, 0);     // back in time order
        SDVariable y = sd.concat(1, fwd, bwd).mul(m3);                  // [mb, 2 nOut, T], padded steps 0
        return GradientFix.halveGradient(sd, y);
    }

    /** One forward-only fused LSTM over x [mb, nIn, T] (NST), zero initial state, no lengths: [mb, nOut, T]. */
    private SDVariable lstm(SameDiff sd, SDVariable x, SDVariable wx, SDVariable wr, SDVariable b) {
        LSTMLayerConfig config = LSTMLayerConfig.builder()
                .lstmdataformat(LSTMDataFormat.NST)
                .directionMode(LSTMDirectionMode.FWD)
                .gateAct(LSTMActivations.SIGMOID)
                .cellAct(LSTMActivations.TANH)
                .outAct(LSTMActivations.TANH)
                .retFullSequence(true).retLastH(false).retLastC(false)
                .build();
        LSTMLayerWeights weights = LSTMLayerWeights.builder()
                .weights(wx).rWeights(wr).bias(sd.reshape(b, 4 * nOut))
                .build();
        // No initial states (the Java API may swap h and c) and no sequence lengths (bug 2).
        return sd.rnn().lstmLayer(x, weights, config)[0];
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof BiLSTM other && super.equals(o)
                && Double.compare(forgetGateBiasInit, other.forgetGateBiasInit) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), forgetGateBiasInit);
    }

    @Override
    public String toString() {
        return "BiLSTM(name=" + getLayerName() + ", nIn=" + nIn + ", nOut=" + nOut + " per direction"
                + ", forgetGateBiasInit=" + forgetGateBiasInit + ", weightInit=" + weightInit + ")";
    }

    /**
     * Builder: {@code new BiLSTM.Builder().nIn(128).nOut(128).build()} gives a layer with 256 outputs per step.
     * {@code nOut} (units per direction) is required; {@code nIn} may be left out when the graph sets input
     * types.
     */
    public static class Builder extends RecurrentSequenceLayer.Builder<Builder> {

        private double forgetGateBiasInit = DEFAULT_FORGET_GATE_BIAS;

        /** @param value initial forget-gate bias of both directions (default {@value #DEFAULT_FORGET_GATE_BIAS}) */
        public Builder forgetGateBiasInit(double value) {
            this.forgetGateBiasInit = value;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public BiLSTM build() {
            if (!Double.isFinite(forgetGateBiasInit)) {
                throw new IllegalArgumentException("BiLSTM: forgetGateBiasInit must be finite, got "
                        + forgetGateBiasInit + "; the usual value is 1.0");
            }
            check("BiLSTM", "(units per direction) must be positive, got {}; call .nOut(n) on BiLSTM.Builder (the"
                    + " output then has 2n features)", List.of(FWD_INPUT_WEIGHT_KEY,
                    FWD_RECURRENT_WEIGHT_KEY, BWD_INPUT_WEIGHT_KEY, BWD_RECURRENT_WEIGHT_KEY),
                    "the biases start at 0, forget gate at forgetGateBiasInit");
            return new BiLSTM(this);
        }
    }
}
