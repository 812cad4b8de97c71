package org.attentionzoo.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.DL4JSameDiffMemoryMgr;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.SameDiff;
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
 * DL4J's runtime for SameDiff layers ({@link SameDiffLayer}) with dropout-mask placeholders: the layer
 * configuration, a {@link DropoutMaskSource}, gives their values on every forward pass from DL4J's
 * {@code training} flag (a fresh random mask in training, 1 at inference, see {@link InvertedDropout}); the
 * backward pass reuses the masks of the forward pass before it, so the gradient is that of the output the
 * loss saw. Otherwise the forward and backward passes are DL4J M2.1's own, line for line. A configuration
 * uses it by returning it from {@code instantiate} ({@code EncoderLayer} does).
 */
public class DropoutSameDiffLayer extends SameDiffLayer {

    private Map<String, INDArray> dropoutMasks = Map.of();

    public DropoutSameDiffLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (sameDiff == null) {
                doInit();
            }
        }
        org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer bl = config();
        bl.validateInput(input);
        drawDropoutMasks(training);

        Map<String, INDArray> placeholders = placeholders();
        return SameDiffForward.run(sameDiff, placeholders, outputKey, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (sameDiff == null) {
                doInit();
            }
            if (!sameDiff.hasGradientFunction()) {
                sameDiff.createGradFunction(INPUT_KEY);
            }
        }
        Map<Long, InferenceSession> sessions = sameDiff.getFunction("grad").getSessions();
        sessions.computeIfAbsent(Thread.currentThread().getId(),
                id -> SameDiff.getInferenceFactory().create(sameDiff.getFunction("grad")));
        if (!workspaceMgr.isScopedOut(ArrayType.ACTIVATION_GRAD)
                && workspaceMgr.getWorkspaceName(ArrayType.ACTIVATION_GRAD) == null) {
            throw new IllegalStateException("Activation gradients must have a workspace or be scoped out");
        }
        sessions.get(Thread.currentThread().getId()).setMmgr(new DL4JSameDiffMemoryMgr(
                workspaceMgr.getWorkspaceName(ArrayType.BP_WORKING_MEM),
                workspaceMgr.getWorkspaceName(ArrayType.ACTIVATION_GRAD),
                workspaceMgr.getConfiguration(ArrayType.BP_WORKING_MEM),
                workspaceMgr.getConfiguration(ArrayType.ACTIVATION_GRAD)));
        config().validateInput(input);

        Map<String, INDArray> placeholders = placeholders();      // the masks of the forward pass
        placeholders.put(fn.getGradPlaceholderName(), epsilon);
        List<String> required = new ArrayList<>(paramTable.size() + 1);
        required.add(INPUT_KEY);
        required.addAll(paramTable.keySet());
        Map<String, INDArray> grads = sameDiff.calculateGradients(placeholders, required);

        Gradient g = ParameterGradients.copy(paramTable.keySet(), gradTable, grads);
        INDArray dLdIn = grads.get(INPUT_KEY);
        sameDiff.clearPlaceholders(true);
        sameDiff.clearOpInputs();
        return new Pair<>(g, workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, dLdIn));
    }

    /**
     * Draws the dropout masks of a forward pass (a fresh random mask in training, 1 at inference) and keeps them
     * for the backward pass after it; the previous pass's masks are freed ({@link InvertedDropout#release}).
     */
    protected Map<String, INDArray> drawDropoutMasks(boolean training) {
        InvertedDropout.release(dropoutMasks);
        dropoutMasks = ((DropoutMaskSource) config()).dropoutMasks(training, dataType, input);
        return dropoutMasks;
    }

    /** The masks the last forward pass used (placeholder name → array); empty without dropout. */
    public Map<String, INDArray> lastDropoutMasks() {
        return Map.copyOf(dropoutMasks);
    }

    private Map<String, INDArray> placeholders() {
        Map<String, INDArray> placeholders = new HashMap<>(dropoutMasks);
        placeholders.put(INPUT_KEY, input);
        placeholders.put(MASK_KEY, maskArray != null ? maskArray : config().onesMaskForInput(input));
        return placeholders;
    }

    private org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer config() {
        return (org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer) layerConf();
    }
}
