package org.attentionzoo.layers;

import org.attentionzoo.util.DirectMatmul;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * DL4J's {@link LSTM} layer (same configuration, parameters, masks and results), trained with fewer and larger
 * matrix products: the forward and backward passes are {@link LstmSequence}'s (its equations, with DL4J's gate
 * order [g | f | o | i], block 0 the cell input, and DL4J's masking, c_t = m_t ⊙ c̃_t and h_t = m_t ⊙ o ⊙ tanh(c̃_t)).
 *
 * <p>How it differs from DL4J M2.1's {@code LSTMHelpers}, which computes the same values: the input products
 * of all time steps are one matrix product (x W for [T · mb, nIn] rows, and after the backward loop dW, dR
 * and dL/dx too), where DL4J multiplies step by step; the forward pass of a training step keeps its gates,
 * cell states and hidden states for the backward pass, where M2.1 disables that cache and runs the forward
 * pass again inside backprop; and the per-step recurrent products h R go straight to OpenBLAS
 * ({@link DirectMatmul}).
 *
 * <p>Used when the layer has DL4J's default gates (sigmoid) and activation (tanh) and NCW data; otherwise,
 * and for DL4J's stateful calls ({@code rnnTimeStep}, truncated BPTT), the runtime is DL4J's own.
 * Build it from a configured LSTM: {@code GemmLstm.of(new LSTM.Builder()…build())}.
 */
public class GemmLstm extends LSTM {

    /** For Jackson; use {@link #of}. */
    public GemmLstm() {
    }

    /** The same configuration as {@code conf} (every field copied: DL4J's builder cannot build a subclass). */
    public static GemmLstm of(LSTM conf) {
        return LayerRuntimes.copyConfiguration(conf, new GemmLstm(), LSTM.class);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("GemmLstm", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerRuntimes.wire(new Runtime(conf, networkDataType), this, conf, trainingListeners, layerIndex,
                layerParamsView, initializeParams);
    }

    /** The runtime layer: DL4J's, with {@code activate} and {@code backpropGradient} as described above. */
    public static class Runtime extends org.deeplearning4j.nn.layers.recurrent.LSTM {

        /** The last training forward pass, kept for the backward pass of the same input. */
        private final KeptForward<Sequence> kept = new KeptForward<>();

        public Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
            setInput(input, workspaceMgr);
            return activate(training, workspaceMgr);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            kept.forget();
            if (!ours()) {
                return super.activate(training, workspaceMgr);
            }
            assertInputSet(false);
            applyDropOutIfNecessary(training, workspaceMgr);
            // A training pass keeps its arrays where the layer's output lives (until the backward pass is done).
            Sequence s = forward(training, workspaceMgr, training ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM);
            if (training) {
                kept.keep(s, s.input());
            }
            return s.output(workspaceMgr);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            if (!ours()) {
                kept.forget();
                return super.backpropGradient(epsilon, workspaceMgr);
            }
            assertInputSet(true);
            Sequence s = kept.take(input);
            if (s == null) {                                   // no forward pass of this input kept: run it again
                applyDropOutIfNecessary(true, workspaceMgr);
                s = forward(true, workspaceMgr, ArrayType.BP_WORKING_MEM);
            }
            Pair<Gradient, INDArray> result = backward(s, epsilon, workspaceMgr);
            weightNoiseParams.clear();
            result.setSecond(backpropDropOutIfPresent(result.getSecond()));
            return result;
        }

        @Override
        public void clear() {
            super.clear();
            kept.forget();
        }

        /** Whether this runtime's own passes apply (else DL4J's). */
        private boolean ours() {
            LSTM c = (LSTM) layerConf();
            return c.getGateActivationFn() instanceof ActivationSigmoid && c.getActivationFn() instanceof ActivationTanH
                    && c.getRnnDataFormat() == RNNFormat.NCW && input != null && input.rank() == 3;
        }

        /** One forward pass: the input it was computed from, [mb, nIn, T], and the LSTM over it. */
        private record Sequence(INDArray input, LstmSequence lstm) {

            /** h_t as the layer's output [mb, H, T]. */
            INDArray output(LayerWorkspaceMgr mgr) {
                int mb = lstm.mb;
                INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, lstm.hidden.dataType(),
                        new long[]{mb, lstm.size, lstm.steps}, 'f');
                out.assign(lstm.outputs().reshape('c', lstm.steps, mb, lstm.size).permute(1, 2, 0));
                return out;
            }
        }

        private Sequence forward(boolean training, LayerWorkspaceMgr mgr, ArrayType keep) {
            INDArray w = getParamWithNoise(LSTMParamInitializer.INPUT_WEIGHT_KEY, training, mgr);
            INDArray r = getParamWithNoise(LSTMParamInitializer.RECURRENT_WEIGHT_KEY, training, mgr);
            INDArray b = getParamWithNoise(LSTMParamInitializer.BIAS_KEY, training, mgr);
            int mb = (int) input.size(0);
            int steps = (int) input.size(2);
            long nIn = input.size(1);
            double[] mask = maskArray == null ? null : maskArray.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            INDArray x = mgr.createUninitialized(keep, w.dataType(), new long[]{steps, mb, nIn}, 'c');
            x.assign(input.permute(2, 0, 1));
            return new Sequence(input, new LstmSequence(LstmCell.GateLayout.DL4J_LSTM,
                    x.reshape('c', (long) steps * mb, nIn), mb, mask, w, r, b, mgr, keep));
        }

        private Pair<Gradient, INDArray> backward(Sequence s, INDArray epsilon, LayerWorkspaceMgr mgr) {
            INDArray w = getParamWithNoise(LSTMParamInitializer.INPUT_WEIGHT_KEY, true, mgr);
            INDArray r = getParamWithNoise(LSTMParamInitializer.RECURRENT_WEIGHT_KEY, true, mgr);
            DataType type = w.dataType();
            LstmSequence lstm = s.lstm();
            int mb = lstm.mb;
            INDArray eps = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, type, new long[]{lstm.steps, mb, lstm.size}, 'c');
            eps.assign(epsilon.permute(2, 0, 1));
            INDArray inputGrad = gradientViews.get(LSTMParamInitializer.INPUT_WEIGHT_KEY);
            INDArray recurrentGrad = gradientViews.get(LSTMParamInitializer.RECURRENT_WEIGHT_KEY);
            INDArray biasGrad = gradientViews.get(LSTMParamInitializer.BIAS_KEY);
            INDArray dx = lstm.backward(eps.reshape('c', (long) lstm.steps * mb, lstm.size), w, r,
                    inputGrad, recurrentGrad, biasGrad);                                 // [T · mb, nIn]
            INDArray epsOut = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, type,
                    new long[]{mb, input.size(1), lstm.steps}, 'f');
            epsOut.assign(dx.reshape('c', lstm.steps, mb, input.size(1)).permute(1, 2, 0));
            Gradient gradient = new DefaultGradient();
            gradient.gradientForVariable().put(LSTMParamInitializer.INPUT_WEIGHT_KEY, inputGrad);
            gradient.gradientForVariable().put(LSTMParamInitializer.RECURRENT_WEIGHT_KEY, recurrentGrad);
            gradient.gradientForVariable().put(LSTMParamInitializer.BIAS_KEY, biasGrad);
            return new Pair<>(gradient, epsOut);
        }
    }
}
