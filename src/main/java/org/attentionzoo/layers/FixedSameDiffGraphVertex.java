package org.attentionzoo.layers;

import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.samediff.DL4JSameDiffMemoryMgr;
import org.deeplearning4j.nn.layers.samediff.SameDiffGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DL4J's runtime for SameDiff vertices with the input-gradient bug of M2.1 fixed.
 *
 * <h2>The bug</h2>
 * {@link SameDiffGraphVertex#doBackward} computes the gradients with {@code calculateGradients(...)} but
 * then reads dL/dInput from {@code sameDiff.grad(input).getArr()}, the array SameDiff associated with
 * that variable on the <em>first</em> backward pass. That array lives in a workspace that later passes
 * reuse, so from the second pass on, the layers below a vertex receive garbage (seen: gradients 1e131
 * and 1e-309 times the true ones in {@code LuongAttentionGradientCheckTest}; the first pass is right).
 * The parameter gradients are read from the result map and are right.
 *
 * <h2>The fix</h2>
 * The same backward pass, reading dL/dInput from the map {@code calculateGradients} returns, as DL4J's
 * {@code SameDiffLayer} does, and copying it into the activation-gradient workspace. Our vertex
 * configurations return this class from {@code instantiate} ({@link ZooSameDiffVertex}).
 *
 * <h2>Dropout masks</h2>
 * A vertex configuration that is a {@link DropoutMaskSource} has dropout-mask placeholders in its graph;
 * the forward pass (otherwise DL4J's own) asks it for their values from DL4J's {@code training} flag, and
 * the backward pass feeds the same arrays again (see {@link InvertedDropout}).
 */
public class FixedSameDiffGraphVertex extends SameDiffGraphVertex {

    private Map<String, INDArray> dropoutMasks = Map.of();

    public FixedSameDiffGraphVertex(SameDiffVertex config, ComputationGraph graph, String name, int vertexIndex,
                                    INDArray paramsView, boolean initParams, DataType dataType) {
        super(config, graph, name, vertexIndex, paramsView, initParams, dataType);
    }

    /** DL4J's forward pass, with the dropout masks of a {@link DropoutMaskSource} configuration. */
    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (sameDiff == null) {
                doInit();
            }
        }
        config.validateInput(inputs);
        drawDropoutMasks(training);
        Map<String, INDArray> placeholders = placeholders();

        INDArray result = SameDiffForward.run(sameDiff, placeholders, outputKey, workspaceMgr);
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, result);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        List<String> inputNames = config.getVertexParams().getInputs();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (sameDiff == null) {
                doInit();
            }
            if (!sameDiff.hasGradientFunction()) {
                sameDiff.createGradFunction(inputNames.toArray(new String[0]));
            }
        }
        config.validateInput(inputs);

        Map<Long, InferenceSession> sessions = sameDiff.getFunction("grad").getSessions();
        sessions.computeIfAbsent(Thread.currentThread().getId(),
                id -> newSession(sameDiff.getFunction("grad")));
        sessions.get(Thread.currentThread().getId()).setMmgr(new DL4JSameDiffMemoryMgr(
                workspaceMgr.getWorkspaceName(ArrayType.BP_WORKING_MEM),
                workspaceMgr.getWorkspaceName(ArrayType.ACTIVATION_GRAD),
                workspaceMgr.getConfiguration(ArrayType.BP_WORKING_MEM),
                workspaceMgr.getConfiguration(ArrayType.ACTIVATION_GRAD)));

        Map<String, INDArray> placeholders = placeholders();       // with the forward pass's dropout masks
        placeholders.put(fn.getGradPlaceholderName(), epsilon);

        List<String> required = new ArrayList<>(inputNames);
        required.addAll(paramTable.keySet());
        Map<String, INDArray> grads = sameDiff.calculateGradients(placeholders, required);

        Gradient g = ParameterGradients.copy(paramTable.keySet(), gradTable, grads);
        INDArray[] dLdIn = new INDArray[inputNames.size()];
        for (int i = 0; i < inputNames.size(); i++) {
            dLdIn[i] = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, grads.get(inputNames.get(i)));
        }
        sameDiff.clearPlaceholders(true);
        sameDiff.clearOpInputs();
        return new Pair<>(g, dLdIn);
    }

    /**
     * Draws the dropout masks of a forward pass (a fresh random mask in training, 1 at inference; none unless the
     * configuration is a {@link DropoutMaskSource}) and keeps them for the backward pass after it; the previous
     * pass's masks are freed ({@link InvertedDropout#release}).
     */
    protected Map<String, INDArray> drawDropoutMasks(boolean training) {
        InvertedDropout.release(dropoutMasks);
        dropoutMasks = config instanceof DropoutMaskSource source ? source.dropoutMasks(training, dataType, inputs)
                : Map.of();
        return dropoutMasks;
    }

    /** Inputs, their time masks (all ones where an input has none) and the dropout masks. */
    private Map<String, INDArray> placeholders() {
        List<String> inputNames = config.getVertexParams().getInputs();
        Map<String, INDArray> placeholders = new HashMap<>(dropoutMasks);
        for (int i = 0; i < inputNames.size(); i++) {
            String name = inputNames.get(i);
            placeholders.put(name, inputs[i]);
            INDArray mask = maskArrays != null && maskArrays[i] != null ? maskArrays[i] : onesMask(inputs[i]);
            placeholders.put(name + "_mask", mask);
        }
        return placeholders;
    }

    /** The dropout masks the last forward pass used (placeholder name → array); empty without dropout. */
    public Map<String, INDArray> lastDropoutMasks() {
        return Map.copyOf(dropoutMasks);
    }

    /** The masks of the last forward pass, one per input (entries may be null); null if none were set. */
    public INDArray[] lastMasks() {
        return maskArrays == null ? null : maskArrays.clone();
    }

    private static InferenceSession newSession(org.nd4j.autodiff.samediff.SameDiff sd) {
        return org.nd4j.autodiff.samediff.SameDiff.getInferenceFactory().create(sd);
    }

    /** The all-ones mask DL4J substitutes when an input has none: [mb, 1] for 2-D, [mb, T] for 3-D input. */
    private INDArray onesMask(INDArray input) {
        return input.rank() == 3 ? Nd4j.ones(input.dataType(), input.size(0), input.size(2))
                : Nd4j.ones(input.dataType(), input.size(0), 1);
    }
}
