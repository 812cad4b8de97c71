package org.attentionzoo.layers.transformer;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime of a sinusoidal {@link PositionalEncoding}, both passes written by hand:
 * <pre>
 *   forward:   y = m ⊙ (s · x + PE)          s = √d_model (or 1), PE [d_model, T] broadcast over the batch
 *   backward:  ∂L/∂x = s · m ⊙ ∂L/∂y          (no parameters)
 * </pre>
 * with m the time mask [mb, T] broadcast over the features. DL4J M2.1's SameDiff runtime ran the layer's dozen
 * graph operations (position count, frequencies, sin, cos, selection) in every forward pass and again inside its
 * backward pass, through a SameDiff session per step; here a step is three array operations on a table kept per
 * length ({@link PositionalEncoding#sinusoids}). The SameDiff graph stays the layer's definition:
 * {@code PositionalEncodingPassTest} holds outputs and input gradients equal to it in double precision.
 */
public class PositionalEncodingPass extends SameDiffLayer {

    /** PE [d_model, T] per length T seen, in the network's type, outside any workspace. */
    private final java.util.Map<Long, INDArray> tables = new java.util.HashMap<>();

    public PositionalEncodingPass(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private PositionalEncoding encoding() {
        return (PositionalEncoding) conf().getLayer();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        PositionalEncoding conf = encoding();
        conf.validateInput(input);
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), input.shape(), 'c');
        y.assign(input);
        if (conf.isScaled()) {
            y.muli(Math.sqrt(conf.getDModel()));
        }
        Nd4j.getExecutioner().exec(new BroadcastAddOp(y, table(input.size(2), input.dataType()), y, 1, 2));
        return masked(y);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), input.shape(), 'c');
        dx.assign(epsilon);
        if (encoding().isScaled()) {
            dx.muli(Math.sqrt(encoding().getDModel()));
        }
        return new Pair<>(new DefaultGradient(), masked(dx));
    }

    /** a ⊙ m over the time steps, in place; a unchanged without a mask. */
    private INDArray masked(INDArray a) {
        if (maskArray == null) {
            return a;
        }
        INDArray m = maskArray.dataType() == a.dataType() ? maskArray : maskArray.castTo(a.dataType());
        Nd4j.getExecutioner().exec(new BroadcastMulOp(a, m, a, 0, 2));
        return a;
    }

    private INDArray table(long length, DataType type) {
        INDArray pe = tables.get(length);
        if (pe == null || pe.dataType() != type) {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                pe = PositionalEncoding.sinusoids(encoding().getDModel(), Math.toIntExact(length), type);
            }
            tables.put(length, pe);
        }
        return pe;
    }
}
