package org.attentionzoo.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Gated recurrent unit layer (forward direction, zero initial state), a SameDiff layer.
 *
 * <p>Input {@code [mb, nIn, T]}, output {@code [mb, nOut, T]} (DL4J's NCW format). With {@code x_t} the
 * input row, {@code m_t} the time mask (1 when no mask is given) and {@code h_0 = 0}, for t = 1..T
 * (sigma: logistic sigmoid, {@code ⊙}: element-wise product):
 * <pre>
 *   r_t = sigma(x_t Wx_r + h_{t-1} Wh_r + b_r)                 reset gate
 *   u_t = sigma(x_t Wx_u + h_{t-1} Wh_u + b_u)                 update gate
 *   c_t = tanh (x_t Wx_c + r_t ⊙ (h_{t-1} Wh_c) + b_c)         candidate
 *   g_t = u_t ⊙ h_{t-1} + (1 - u_t) ⊙ c_t
 *   h_t = m_t g_t + (1 - m_t) h_{t-1}                          a padded step keeps the state
 *   y_t = m_t h_t                                              and outputs 0
 * </pre>
 * The parameters hold the three gates side by side, in the order [r | u | c]:
 * {@value #INPUT_WEIGHT_KEY} {@code = [Wx_r | Wx_u | Wx_c]} of shape [nIn, 3 nOut],
 * {@value #RECURRENT_WEIGHT_KEY} {@code = [Wh_r | Wh_u | Wh_c]} of shape [nOut, 3 nOut] and
 * {@value #BIAS_KEY} {@code = [b_r | b_u | b_c]} of shape [1, 3 nOut]. These are the equations and the
 * layout of libnd4j's fused {@code gru} op ({@code sd.rnn().gru}), measured in {@code FusedGruOpBugTest}:
 * the reset gate multiplies {@code h_{t-1} Wh_c} <em>after</em> the matrix product (the cuDNN / "linear
 * before reset" form, as in PyTorch but with one bias per gate), whereas Cho et al. (2014) apply it before:
 * {@code tanh(x W + (r ⊙ h) U)}; and {@code u} weights the <em>previous</em> state.
 *
 * <p>Implementation: the fused op's backprop is wrong in M2.1 (same test), so the time loop is unrolled
 * into elementary SameDiff ops, one graph per sequence length ({@link PerLengthSameDiffLayer}); the input
 * projections of all steps are one matrix product. {@code GRUReferenceTest} compares the layer with a
 * step-by-step INDArray GRU ({@link GruCell}), {@code GRUGradientCheckTest} checks its gradients.
 *
 * <p>Masks: the time mask [mb, T] is passed on unchanged. Because a padded step carries the state, padding
 * may be anywhere (start or end): the outputs at real steps equal those of the sequence without its padding,
 * and a {@code LastTimeStepVertex} given the mask reads the state after the last real step. Padded steps
 * output exactly 0 (never NaN for finite inputs). No initial state, no {@code rnnTimeStep} state carrying.
 *
 * <p>Weights are initialised by the builder's {@code weightInit} (default XAVIER) with fan-in nIn (input
 * weights) or nOut (recurrent weights) and fan-out nOut; biases are zero. DL4J does not apply the
 * network-wide {@code weightInit} of {@code NeuralNetConfiguration.Builder} to SameDiff layers, nor any
 * dropout: set the weight initialisation here, and put dropout in a layer of its own.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
public class GRU extends RecurrentSequenceLayer {

    /** Input-to-hidden weights [nIn, 3 nOut], gates [r | u | c]. */
    public static final String INPUT_WEIGHT_KEY = "Wx";
    /** Hidden-to-hidden weights [nOut, 3 nOut], gates [r | u | c]. */
    public static final String RECURRENT_WEIGHT_KEY = "Wh";
    /** Biases [1, 3 nOut], gates [r | u | c]. */
    public static final String BIAS_KEY = "b";

    /** For Jackson only. */
    private GRU() {
    }

    private GRU(Builder builder) {
        super(builder);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeRecurrent r = recurrentNcw(inputType);
        return InputType.recurrent(nOut, r.getTimeSeriesLength(), RNNFormat.NCW);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        params.addWeightParam(INPUT_WEIGHT_KEY, nIn, 3 * nOut);
        params.addWeightParam(RECURRENT_WEIGHT_KEY, nOut, 3 * nOut);
        params.addBiasParam(BIAS_KEY, 1, 3 * nOut); // rank 2: rank-1 parameter views reportedly break reshapes in M2.1
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            initWeight(params.get(INPUT_WEIGHT_KEY), INPUT_WEIGHT_KEY, nIn);
            initWeight(params.get(RECURRENT_WEIGHT_KEY), RECURRENT_WEIGHT_KEY, nOut);
            params.get(BIAS_KEY).assign(0);
        }
    }

    /** Runs on {@link PerLengthSameDiffLayer}: the unrolled graph is built (and kept) per sequence length. */
    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return LayerRuntimes.wire(new PerLengthSameDiffLayer(conf, networkDataType), this, conf, null, layerIndex,
                paramsView, initializeParams);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        long t = input.getShape()[2]; // this graph's length; PerLengthSameDiffLayer builds one graph per length
        long n = nOut;
        // Input projections of all steps at once: [mb, T, nIn] -> [mb*T, nIn] x Wx + b -> [mb, T, 3n]
        SDVariable xRows = sd.reshape(sd.permute(input, 0, 2, 1), -1, nIn);
        SDVariable gx = sd.reshape(xRows.mmul(params.get(INPUT_WEIGHT_KEY)).add(params.get(BIAS_KEY)), -1, t, 3 * n);
        SDVariable wh = params.get(RECURRENT_WEIGHT_KEY);
        SDVariable whR = wh.get(SDIndex.all(), SDIndex.interval(0L, n));
        SDVariable whU = wh.get(SDIndex.all(), SDIndex.interval(n, 2 * n));
        SDVariable whC = wh.get(SDIndex.all(), SDIndex.interval(2 * n, 3 * n));

        // Every variable created here must be used: SameDiff takes unused ones for extra loss variables and
        // then loses DL4J's external-error placeholder ("No variable/placeholder with name ...-grad exists").
        SDVariable batch = input.shape().get(SDIndex.interval(0, 1));                 // [1]: mb
        SDVariable h0Shape = sd.concat(0, batch, sd.constant(Nd4j.createFromArray(n)).castTo(batch.dataType()));
        SDVariable h = sd.fill(h0Shape, input.dataType(), 0.0);                       // h_0 = 0, [mb, nOut]
        SDVariable[] outputs = new SDVariable[(int) t];
        for (int s = 0; s < t; s++) {
            SDVariable xR = gx.get(SDIndex.all(), SDIndex.point(s), SDIndex.interval(0L, n));
            SDVariable xU = gx.get(SDIndex.all(), SDIndex.point(s), SDIndex.interval(n, 2 * n));
            SDVariable xC = gx.get(SDIndex.all(), SDIndex.point(s), SDIndex.interval(2 * n, 3 * n));
            SDVariable m = mask.get(SDIndex.all(), SDIndex.interval(s, s + 1));          // [mb, 1]
            SDVariable r = sd.nn().sigmoid(xR.add(h.mmul(whR)));
            SDVariable u = sd.nn().sigmoid(xU.add(h.mmul(whU)));
            SDVariable c = sd.math().tanh(xC.add(r.mul(h.mmul(whC))));
            SDVariable next = c.add(u.mul(h.sub(c)));                          // u h + (1 - u) c
            h = h.add(m.mul(next.sub(h)));                                     // padded step: carry h_{t-1}
            outputs[s] = h.mul(m);                                  // padded: output 0
        }
        SDVariable y = sd.stack(2, outputs);                        // [mb, nOut, T]
        return GradientFix.halveGradient(sd, y);
    }

    @Override
    public String toString() {
        return "GRU(name=" + getLayerName() + ", nIn=" + nIn + ", nOut=" + nOut + ", weightInit=" + weightInit + ")";
    }

    /**
     * Builder: {@code new GRU.Builder().nIn(64).nOut(128).weightInit(WeightInit.XAVIER).build()}.
     * {@code nOut} is required; {@code nIn} may be left out when the graph sets input types.
     */
    public static class Builder extends RecurrentSequenceLayer.Builder<Builder> {

        @Override
        @SuppressWarnings("unchecked")
        public GRU build() {
            check("GRU", "(hidden size) must be positive, got {}; call .nOut(n) on GRU.Builder",
                    List.of(INPUT_WEIGHT_KEY, RECURRENT_WEIGHT_KEY),
                    "the bias \"" + BIAS_KEY + "\" starts at zero");
            return new GRU(this);
        }
    }
}
