package org.attentionzoo.layers;

import org.attentionzoo.util.NumericBuffer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Map;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

/**
 * Runtime of {@link BiLSTM} whose training step is computed by hand, its forward pass kept for the backward pass.
 * DL4J M2.1 runs a SameDiff layer's backward pass with {@code calculateGradients}, which computes the forward pass
 * again and whose native memory grows with every step for the fused {@code lstmLayer} ops; here a training forward
 * pass ({@code training = true}) runs each direction as an {@link LstmSequence} (gate order [i | f | g | o]) on
 * time-major rows:
 * <pre>
 *   →h = LSTM_fwd(x)                 with the mask m, so padded steps output 0 and pass no gradient
 *   ←h = rev(LSTM_bwd(rev(x)))       rev: each sequence's first L steps reversed, its padding left at the end (0)
 *   y  = [→h ; ←h]                   [mb, 2H, T]
 * </pre>
 * which is {@link BiLSTM}'s SameDiff graph for masks that are a prefix of ones (the backward direction starts at
 * each sequence's last real token); {@code KeptBiLSTMTest} holds the two equal to 1e-10 in double, outputs and
 * gradients. Inference, a mask with a 0 before a 1, and a backward pass whose forward pass was not kept (another
 * input) run the SameDiff graph, which stays the definition.
 */
public class KeptBiLSTM extends SameDiffLayer {

    private final KeptForward<Pass> kept = new KeptForward<>();

    public KeptBiLSTM(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        kept.forget();
        assertInputSet(false);
        int[] lengths = training ? SequenceReverse.Runtime.lengths(maskArray, (int) input.size(0), (int) input.size(2)) : null;
        if (lengths == null) {
            return super.activate(training, workspaceMgr);
        }
        BiLSTM conf = (BiLSTM) layerConf();
        conf.validateInput(input);
        Pass pass = new Pass(input, lengths, paramTable, workspaceMgr);
        kept.keep(pass, input);
        return pass.output(workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Pass pass = kept.take(input);
        if (pass == null) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray dIn = pass.backward(epsilon, paramTable, gradTable, workspaceMgr);
        return new Pair<>(ParameterGradients.of(paramTable.keySet(), gradTable), dIn);
    }

    @Override
    public void clear() {
        super.clear();
        kept.forget();
    }

    /** One kept forward pass: both directions over the input [mb, nIn, T]. */
    private static final class Pass {
        final INDArray input;
        final int[] lengths;
        final int mb;
        final int steps;
        final LstmSequence forward;
        final LstmSequence backward;

        Pass(INDArray input, int[] lengths, Map<String, INDArray> p, LayerWorkspaceMgr mgr) {
            this.input = input;
            this.lengths = lengths;
            this.mb = (int) input.size(0);
            this.steps = (int) input.size(2);
            long nIn = input.size(1);
            DataType type = p.get(BiLSTM.FWD_INPUT_WEIGHT_KEY).dataType();
            double[] mask = new double[mb * steps];
            for (int r = 0; r < mb; r++) {
                Arrays.fill(mask, r * steps, r * steps + lengths[r], 1.0);
            }
            INDArray x = timeMajor(input, type, mgr, ArrayType.ACTIVATIONS);
            INDArray xReversed = reverse(x, mgr.createUninitialized(ArrayType.ACTIVATIONS, type,
                    new long[]{(long) steps * mb, nIn}, 'c'));
            forward = new LstmSequence(LstmCell.GateLayout.LSTM_LAYER_OP, x, mb, mask, p.get(BiLSTM.FWD_INPUT_WEIGHT_KEY),
                    p.get(BiLSTM.FWD_RECURRENT_WEIGHT_KEY), p.get(BiLSTM.FWD_BIAS_KEY), mgr, ArrayType.ACTIVATIONS);
            backward = new LstmSequence(LstmCell.GateLayout.LSTM_LAYER_OP, xReversed, mb, mask,
                    p.get(BiLSTM.BWD_INPUT_WEIGHT_KEY), p.get(BiLSTM.BWD_RECURRENT_WEIGHT_KEY), p.get(BiLSTM.BWD_BIAS_KEY),
                    mgr, ArrayType.ACTIVATIONS);
        }

        /** [→h ; ←h] as [mb, 2H, T]. */
        INDArray output(LayerWorkspaceMgr mgr) {
            int h = forward.size;
            INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, forward.hidden.dataType(),
                    new long[]{mb, 2L * h, steps}, 'c');
            out.get(all(), interval(0, h), all()).assign(ncw(forward.outputs(), h));
            INDArray back = reverse(backward.outputs(), mgr.createUninitialized(ArrayType.FF_WORKING_MEM,
                    out.dataType(), new long[]{(long) steps * mb, h}, 'c'));
            out.get(all(), interval(h, 2L * h), all()).assign(ncw(back, h));
            return out;
        }

        INDArray backward(INDArray epsilon, Map<String, INDArray> p, Map<String, INDArray> grads,
                          LayerWorkspaceMgr mgr) {
            int h = forward.size;
            DataType type = epsilon.dataType();
            INDArray epsForward = timeMajor(epsilon.get(all(), interval(0, h), all()), type, mgr, ArrayType.BP_WORKING_MEM);
            INDArray epsBackward = reverse(timeMajor(epsilon.get(all(), interval(h, 2L * h), all()), type, mgr,
                    ArrayType.BP_WORKING_MEM), mgr.createUninitialized(ArrayType.BP_WORKING_MEM, type,
                    new long[]{(long) steps * mb, h}, 'c'));
            INDArray dxForward = forward.backward(epsForward, p.get(BiLSTM.FWD_INPUT_WEIGHT_KEY),
                    p.get(BiLSTM.FWD_RECURRENT_WEIGHT_KEY), grads.get(BiLSTM.FWD_INPUT_WEIGHT_KEY),
                    grads.get(BiLSTM.FWD_RECURRENT_WEIGHT_KEY), grads.get(BiLSTM.FWD_BIAS_KEY));
            INDArray dxBackwardReversed = backward.backward(epsBackward, p.get(BiLSTM.BWD_INPUT_WEIGHT_KEY),
                    p.get(BiLSTM.BWD_RECURRENT_WEIGHT_KEY), grads.get(BiLSTM.BWD_INPUT_WEIGHT_KEY),
                    grads.get(BiLSTM.BWD_RECURRENT_WEIGHT_KEY), grads.get(BiLSTM.BWD_BIAS_KEY));
            INDArray dx = reverse(dxBackwardReversed, mgr.createUninitialized(ArrayType.BP_WORKING_MEM, type,
                    dxBackwardReversed.shape(), 'c')).addi(dxForward);
            INDArray dIn = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, type, input.shape(), 'c');
            dIn.assign(ncw(dx, input.size(1)));
            return dIn;
        }

        /** A sequence [mb, d, T] as time-major rows [T · mb, d] (a copy). */
        private INDArray timeMajor(INDArray ncw, DataType type, LayerWorkspaceMgr mgr, ArrayType arrayType) {
            long d = ncw.size(1);
            INDArray rows = mgr.createUninitialized(arrayType, type, new long[]{steps, mb, d}, 'c');
            rows.assign(ncw.permute(2, 0, 1));
            return rows.reshape('c', (long) steps * mb, d);
        }

        /** Time-major rows [T · mb, d] as a view [mb, d, T]. */
        private INDArray ncw(INDArray rows, long d) {
            return rows.reshape('c', steps, mb, d).permute(1, 2, 0);
        }

        /**
         * Time-major rows [T · mb, d] with each sequence's first L steps reversed and 0 at its padding, written into
         * {@code out} (dense, row-major, not {@code rows}); its own inverse on rows that are 0 at padding.
         */
        private INDArray reverse(INDArray rows, INDArray out) {
            int d = (int) rows.size(1);
            NumericBuffer from = NumericBuffer.of(rows);
            NumericBuffer to = NumericBuffer.of(out);
            for (int r = 0; r < mb; r++) {
                for (int t = 0; t < steps; t++) {
                    int into = (t * mb + r) * d;
                    if (t < lengths[r]) {
                        int src = ((lengths[r] - 1 - t) * mb + r) * d;
                        for (int j = 0; j < d; j++) {
                            to.set(into + j, from.get(src + j));
                        }
                    } else {
                        for (int j = 0; j < d; j++) {
                            to.set(into + j, 0.0);
                        }
                    }
                }
            }
            return out;
        }
    }
}
