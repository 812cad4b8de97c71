package org.attentionzoo.layers;

import org.attentionzoo.util.DirectMatmul;
import org.attentionzoo.util.NumericBuffer;
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
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Collection;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

/**
 * DL4J's {@link LSTM} layer (same configuration, parameters, masks and results), trained with fewer and larger
 * matrix products. With the gate blocks in DL4J's order [g | f | o | i] (block 0 the cell input), x_t the
 * input, m_t the mask of step t (1 without a mask) and ⊙ the element-wise product:
 * <pre>
 *   z_t = x_t W + h_{t−1} R + b                    [mb, 4H]
 *   g = tanh(z_g),  f, o, i = σ(z_f), σ(z_o), σ(z_i)
 *   c̃_t = f ⊙ c_{t−1} + i ⊙ g,     c_t = m_t ⊙ c̃_t
 *   h_t = m_t ⊙ o ⊙ tanh(c̃_t)                       (h_{−1} = c_{−1} = 0)
 * </pre>
 * and backward, from dL/dh_t (ε_t plus what step t+1 sends back) and dL/dc_t:
 * <pre>
 *   dh = m_t ⊙ (ε_t + dz_{t+1} Rᵀ),   dc̃ = dh ⊙ o ⊙ (1 − tanh²(c̃_t)) + m_t ⊙ dc_t,   dc_{t−1} = dc̃ ⊙ f
 *   dz_g = dc̃ ⊙ i ⊙ (1 − g²),  dz_f = dc̃ ⊙ c_{t−1} ⊙ f(1 − f),
 *   dz_o = dh ⊙ tanh(c̃_t) ⊙ o(1 − o),  dz_i = dc̃ ⊙ g ⊙ i(1 − i)
 *   dW = Σ_t x_tᵀ dz_t,   dR = Σ_t h_{t−1}ᵀ dz_t,   db = Σ_t Σ_rows dz_t,   dL/dx_t = dz_t Wᵀ
 * </pre>
 *
 * <p>How it differs from DL4J M2.1's {@code LSTMHelpers}, which computes the same values: the input products
 * of all time steps are one matrix product (x W for [T · mb, nIn] rows, and after the backward loop dW, dR
 * and dL/dx too), where DL4J multiplies step by step; the forward pass of a training step keeps its gates,
 * cell states and hidden states for the backward pass, where M2.1 disables that cache and runs the forward
 * pass again inside backprop; and the per-step recurrent products h R go straight to OpenBLAS
 * ({@link DirectMatmul}); each step's tanh and sigmoids are libnd4j transforms over its whole block and the
 * rest of the cell a loop over the arrays' memory (the backward loop reads the kept tanh(c̃_t) and needs no
 * exp). Sequences are laid out time-major ([T · mb, ·], row t · mb + r), so each step's rows are one
 * contiguous block.
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
        private Sequence kept;

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
            kept = null;
            if (!ours()) {
                return super.activate(training, workspaceMgr);
            }
            assertInputSet(false);
            applyDropOutIfNecessary(training, workspaceMgr);
            // A training pass keeps its arrays where the layer's output lives (until the backward pass is done).
            Sequence s = forward(training, workspaceMgr, training ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM);
            if (training) {
                kept = s;
            }
            return s.output(workspaceMgr);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            if (!ours()) {
                kept = null;
                return super.backpropGradient(epsilon, workspaceMgr);
            }
            assertInputSet(true);
            Sequence s = kept != null && kept.input == input ? kept : null;
            kept = null;
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
            kept = null;
        }

        /** Whether this runtime's own passes apply (else DL4J's). */
        private boolean ours() {
            LSTM c = (LSTM) layerConf();
            return c.getGateActivationFn() instanceof ActivationSigmoid && c.getActivationFn() instanceof ActivationTanH
                    && c.getRnnDataFormat() == RNNFormat.NCW && input != null && input.rank() == 3;
        }

        /** The arrays of one forward pass, time-major: row t · mb + r is sequence r at step t. */
        private static final class Sequence {
            INDArray input;      // the layer's input it was computed from, [mb, nIn, T]
            INDArray x;          // [T · mb, nIn]
            INDArray gates;      // activated gates [T · mb, 4H]: g | f | o | i
            INDArray cells;      // c̃_t before the mask, [T · mb, H]
            INDArray tanhCells;  // tanh(c̃_t), [T · mb, H]
            INDArray hidden;     // h_{t−1} for t = 0..T: [(T + 1) · mb, H], the first mb rows zero
            double[] mask;       // m_t of sequence r at r · T + t, or null
            int mb;
            int steps;
            int size;

            INDArray rows(INDArray a, int t) {
                return a.get(interval((long) t * mb, (long) (t + 1) * mb), all());
            }

            double mask(int r, int t) {
                return mask == null ? 1.0 : mask[r * steps + t];
            }

            /** c_{t−1} = m_{t−1} ⊙ c̃_{t−1} of sequence r, unit j (0 at t = 0). */
            double previousCell(NumericBuffer cells, int r, int t, int j) {
                return t == 0 ? 0.0 : mask(r, t - 1) * cells.get(((t - 1) * mb + r) * size + j);
            }

            /** h_t as the layer's output [mb, H, T]. */
            INDArray output(LayerWorkspaceMgr mgr) {
                INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, hidden.dataType(), new long[]{mb, size, steps}, 'f');
                out.assign(hidden.get(interval(mb, (long) (steps + 1) * mb), all()).reshape('c', steps, mb, size).permute(1, 2, 0));
                return out;
            }
        }

        private Sequence forward(boolean training, LayerWorkspaceMgr mgr, ArrayType keep) {
            INDArray w = getParamWithNoise(LSTMParamInitializer.INPUT_WEIGHT_KEY, training, mgr);
            INDArray r = getParamWithNoise(LSTMParamInitializer.RECURRENT_WEIGHT_KEY, training, mgr);
            INDArray b = getParamWithNoise(LSTMParamInitializer.BIAS_KEY, training, mgr);
            DataType type = w.dataType();
            Sequence s = new Sequence();
            s.input = input;
            s.mb = (int) input.size(0);
            s.steps = (int) input.size(2);
            s.size = (int) r.size(0);
            s.mask = maskArray == null ? null : maskArray.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            int mb = s.mb;
            long nIn = input.size(1);
            s.x = mgr.createUninitialized(keep, type, new long[]{s.steps, mb, nIn}, 'c');
            s.x.assign(input.permute(2, 0, 1));
            s.x = s.x.reshape('c', (long) s.steps * mb, nIn);
            s.gates = mgr.create(keep, type, new long[]{(long) s.steps * mb, 4L * s.size}, 'c');
            s.gates.addiRowVector(b.reshape(1, 4L * s.size));
            DirectMatmul.mmulAdd(s.x, w, s.gates);                                  // x W + b, every step at once
            s.cells = mgr.createUninitialized(keep, type, new long[]{(long) s.steps * mb, s.size}, 'c');
            s.tanhCells = mgr.createUninitialized(keep, type, new long[]{(long) s.steps * mb, s.size}, 'c');
            s.hidden = mgr.create(keep, type, new long[]{(long) (s.steps + 1) * mb, s.size}, 'c');
            NumericBuffer gates = NumericBuffer.of(s.gates);
            NumericBuffer cells = NumericBuffer.of(s.cells);
            NumericBuffer hidden = NumericBuffer.of(s.hidden);
            NumericBuffer tanhCells = NumericBuffer.of(s.tanhCells);
            int h = s.size;
            for (int t = 0; t < s.steps; t++) {
                INDArray z = s.rows(s.gates, t);
                DirectMatmul.mmulAdd(s.rows(s.hidden, t), r, z);                      // + h_{t−1} R
                Transforms.tanh(z.get(all(), interval(0, h)), false);                  // g
                Transforms.sigmoid(z.get(all(), interval(h, 4 * h)), false);           // f, o, i
                cellStep(s, t, gates, cells);
                Nd4j.getExecutioner().exec(new Tanh(s.rows(s.cells, t), s.rows(s.tanhCells, t)));
                hiddenStep(s, t, gates, tanhCells, hidden);
            }
            // tanh and σ as libnd4j transforms over the step's block, cheaper than Math.exp called in the loops
            return s;
        }

        /** c̃_t = f ⊙ c_{t−1} + i ⊙ g from step t's activated gates. */
        private static void cellStep(Sequence s, int t, NumericBuffer gates, NumericBuffer cells) {
            int h = s.size;
            for (int r = 0; r < s.mb; r++) {
                int row = t * s.mb + r;
                int z = row * 4 * h;
                for (int j = 0; j < h; j++) {
                    double cPrev = s.previousCell(cells, r, t, j);
                    cells.set(row * h + j, gates.get(z + h + j) * cPrev + gates.get(z + 3 * h + j) * gates.get(z + j));
                }
            }
        }

        /** h_t = m_t ⊙ o ⊙ tanh(c̃_t). */
        private static void hiddenStep(Sequence s, int t, NumericBuffer gates, NumericBuffer tanhCells,
                                       NumericBuffer hidden) {
            int h = s.size;
            for (int r = 0; r < s.mb; r++) {
                int row = t * s.mb + r;
                int z = row * 4 * h;
                double m = s.mask(r, t);
                for (int j = 0; j < h; j++) {
                    hidden.set((row + s.mb) * h + j, m * gates.get(z + 2 * h + j) * tanhCells.get(row * h + j));
                }
            }
        }

        private Pair<Gradient, INDArray> backward(Sequence s, INDArray epsilon, LayerWorkspaceMgr mgr) {
            INDArray w = getParamWithNoise(LSTMParamInitializer.INPUT_WEIGHT_KEY, true, mgr);
            INDArray r = getParamWithNoise(LSTMParamInitializer.RECURRENT_WEIGHT_KEY, true, mgr);
            DataType type = w.dataType();
            int mb = s.mb;
            INDArray eps = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, type, new long[]{s.steps, mb, s.size}, 'c');
            eps.assign(epsilon.permute(2, 0, 1));
            eps = eps.reshape('c', (long) s.steps * mb, s.size);
            INDArray dz = s.gates;                     // each step's gates are overwritten by its dz once read
            INDArray rT = r.transpose();
            NumericBuffer gates = NumericBuffer.of(s.gates);
            NumericBuffer cells = NumericBuffer.of(s.cells);
            NumericBuffer dh = NumericBuffer.of(eps);
            NumericBuffer tanhCells = NumericBuffer.of(s.tanhCells);
            double[] dc = new double[mb * s.size];     // dL/dc_t
            double[] db = new double[4 * s.size];      // Σ dz, summed as the loop goes
            for (int t = s.steps - 1; t >= 0; t--) {
                if (t < s.steps - 1) {
                    DirectMatmul.mmulAdd(s.rows(dz, t + 1), rT, s.rows(eps, t));       // + dz_{t+1} Rᵀ
                }
                backwardStep(s, t, gates, cells, tanhCells, dh, dc, db);
            }
            INDArray inputGrad = gradientViews.get(LSTMParamInitializer.INPUT_WEIGHT_KEY);
            INDArray recurrentGrad = gradientViews.get(LSTMParamInitializer.RECURRENT_WEIGHT_KEY);
            INDArray biasGrad = gradientViews.get(LSTMParamInitializer.BIAS_KEY);
            INDArray previousHidden = s.hidden.get(interval(0, (long) s.steps * mb), all());
            Nd4j.gemm(s.x, dz, inputGrad, true, false, 1.0, 0.0);                       // Σ_t x_tᵀ dz_t
            Nd4j.gemm(previousHidden, dz, recurrentGrad, true, false, 1.0, 0.0);         // Σ_t h_{t−1}ᵀ dz_t
            biasGrad.assign(Nd4j.createFromArray(db).castTo(type).reshape(biasGrad.shape()));
            INDArray dx = DirectMatmul.mmul(dz, w.transpose());                          // [T · mb, nIn]
            INDArray epsOut = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, type,
                    new long[]{mb, input.size(1), s.steps}, 'f');
            epsOut.assign(dx.reshape('c', s.steps, mb, input.size(1)).permute(1, 2, 0));
            Gradient gradient = new DefaultGradient();
            gradient.gradientForVariable().put(LSTMParamInitializer.INPUT_WEIGHT_KEY, inputGrad);
            gradient.gradientForVariable().put(LSTMParamInitializer.RECURRENT_WEIGHT_KEY, recurrentGrad);
            gradient.gradientForVariable().put(LSTMParamInitializer.BIAS_KEY, biasGrad);
            return new Pair<>(gradient, epsOut);
        }

        /**
         * dz_t from dL/dh_t (in {@code dh}, rows of step t) and dL/dc_t (in {@code dc}, replaced by dL/dc_{t−1}),
         * written over step t's gates and added to {@code db}.
         */
        private static void backwardStep(Sequence s, int t, NumericBuffer gates, NumericBuffer cells,
                                         NumericBuffer tanhCells, NumericBuffer dh, double[] dc, double[] db) {
            int h = s.size;
            for (int r = 0; r < s.mb; r++) {
                int row = t * s.mb + r;
                int z = row * 4 * h;
                double m = s.mask(r, t);
                for (int j = 0; j < h; j++) {
                    double g = gates.get(z + j);
                    double f = gates.get(z + h + j);
                    double o = gates.get(z + 2 * h + j);
                    double i = gates.get(z + 3 * h + j);
                    double tanhC = tanhCells.get(row * h + j);
                    double cPrev = s.previousCell(cells, r, t, j);
                    double dOut = m * dh.get(row * h + j);
                    double dCell = dOut * o * (1 - tanhC * tanhC) + m * dc[r * h + j];   // dc̃
                    dc[r * h + j] = dCell * f;                                          // dc_{t−1}
                    double dzG = dCell * i * (1 - g * g);
                    double dzF = dCell * cPrev * f * (1 - f);
                    double dzO = dOut * tanhC * o * (1 - o);
                    double dzI = dCell * g * i * (1 - i);
                    gates.set(z + j, dzG);
                    gates.set(z + h + j, dzF);
                    gates.set(z + 2 * h + j, dzO);
                    gates.set(z + 3 * h + j, dzI);
                    db[j] += dzG;
                    db[h + j] += dzF;
                    db[2 * h + j] += dzO;
                    db[3 * h + j] += dzI;
                }
            }
        }
    }
}
