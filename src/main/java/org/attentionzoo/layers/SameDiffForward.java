package org.attentionzoo.layers;

import org.deeplearning4j.nn.layers.samediff.DL4JSameDiffMemoryMgr;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * The forward pass of our SameDiff layer and vertex runtimes, as DL4J M2.1's own {@code SameDiffLayer} runs it:
 * this thread's inference session on DL4J's working-memory and activation workspaces, one output, the result
 * moved into the activation workspace (or detached when activations are scoped out), placeholders cleared.
 */
final class SameDiffForward {

    private SameDiffForward() {
    }

    /** @return the value of {@code outputKey} for the given placeholders */
    static INDArray run(SameDiff sameDiff, Map<String, INDArray> placeholders, String outputKey,
                        LayerWorkspaceMgr workspaceMgr) {
        String wsNameOutput = workspaceMgr.getWorkspaceName(ArrayType.ACTIVATIONS);
        boolean actScopedOut = workspaceMgr.isScopedOut(ArrayType.ACTIVATIONS);
        if (!actScopedOut && wsNameOutput == null) {
            throw new IllegalStateException("Activations must have a workspace or must be scoped out");
        }
        InferenceSession is = sameDiff.getSessions().computeIfAbsent(Thread.currentThread().getId(),
                id -> SameDiff.getInferenceFactory().create(sameDiff));
        is.setMmgr(new DL4JSameDiffMemoryMgr(workspaceMgr.getWorkspaceName(ArrayType.FF_WORKING_MEM), wsNameOutput,
                workspaceMgr.getConfiguration(ArrayType.FF_WORKING_MEM), workspaceMgr.getConfiguration(ArrayType.ACTIVATIONS)));

        INDArray result = sameDiff.outputSingle(placeholders, outputKey);
        if (!actScopedOut && !result.data().getParentWorkspace().getId().equals(wsNameOutput)) {
            result = workspaceMgr.dup(ArrayType.ACTIVATIONS, result);
        } else if (actScopedOut && result.isAttached()) {
            result = result.detach();
        }
        sameDiff.clearPlaceholders(true);
        sameDiff.clearOpInputs();
        return result;
    }
}
