package org.attentionzoo.layers;

import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Runtime of a SameDiff vertex whose training step keeps its forward pass for the backward pass. DL4J M2.1 runs a
 * SameDiff vertex's backward pass with {@code calculateGradients}, which computes the forward pass again; here a
 * training forward pass ({@code training = true}) is computed by hand ({@link #forward}) with its arrays kept in the
 * activations workspace, and the backward pass of the same inputs uses them. Inference, and a backward pass whose
 * forward pass was not kept (other inputs), run the SameDiff graph ({@link FixedSameDiffGraphVertex}), which stays
 * the definition. Inputs and output are NCW sequences; the kept pass works on rows [mb·t, d] ({@link KeptRows}).
 */
public abstract class KeptGraphVertex extends FixedSameDiffGraphVertex {

    /** One kept forward pass. */
    protected interface Pass {
        /** The output as rows [mb·t, d]. */
        INDArray output();

        /**
         * Writes the parameters' gradients into {@code grads}.
         *
         * @param dOut dL/d(output) as rows
         * @return dL/d(input i) as rows, one per input
         */
        INDArray[] backward(INDArray dOut, Map<String, INDArray> grads);
    }

    private final KeptForward<Pass> kept = new KeptForward<>();

    protected KeptGraphVertex(SameDiffVertex config, ComputationGraph graph, String name, int vertexIndex,
                              INDArray paramsView, boolean initParams, DataType dataType) {
        super(config, graph, name, vertexIndex, paramsView, initParams, dataType);
    }

    /**
     * A training forward pass over {@link #getInputs()} with their time masks ({@code maskArrays}, may be null) and
     * the parameters ({@code paramTable}), in the current workspace.
     *
     * @param dropoutMasks the pass's dropout masks, placeholder name → array (empty without dropout)
     */
    protected abstract Pass forward(Map<String, INDArray> dropoutMasks);

    /** The output's NCW shape [mb, d, t] for the current inputs. */
    protected abstract long[] outputShape();

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        kept.forget();
        if (!training) {
            return super.doForward(false, workspaceMgr);
        }
        config.validateInput(inputs);
        Map<String, INDArray> drop = drawDropoutMasks(true);
        Pass pass;
        try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
            pass = forward(drop);
        }
        kept.keep(pass, inputs);
        return KeptRows.toNcw(pass.output(), workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS,
                inputs[0].dataType(), outputShape(), 'c'));
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        Pass pass = kept.take(inputs);
        if (pass == null) {
            return super.doBackward(tbptt, workspaceMgr);
        }
        INDArray[] d;
        try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.BP_WORKING_MEM)) {
            d = pass.backward(KeptRows.fromNcw(epsilon), gradTable);
        }
        Gradient g = ParameterGradients.of(paramTable.keySet(), gradTable);
        INDArray[] dIn = new INDArray[d.length];
        for (int i = 0; i < d.length; i++) {
            dIn[i] = KeptRows.toNcw(d[i], workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD,
                    epsilon.dataType(), inputs[i].shape(), 'c'));
        }
        return new Pair<>(g, dIn);
    }

    @Override
    public void clear() {
        super.clear();
        kept.forget();
    }
}
