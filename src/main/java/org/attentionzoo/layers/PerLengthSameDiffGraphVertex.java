package org.attentionzoo.layers;

import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.ExternalErrorsFunction;

import java.util.HashMap;
import java.util.Map;

/**
 * Runtime for SameDiff vertices whose graph depends on the length T of their <em>first</em> input (a time
 * loop over that input unrolled in {@code defineVertex}); the vertex analogue of {@link PerLengthSameDiffLayer}.
 *
 * <p>DL4J's {@code SameDiffGraphVertex} builds its SameDiff graph once, from the first inputs it sees, and
 * reuses it for every later call. This subclass of {@link FixedSameDiffGraphVertex} (so it also has that
 * class's dL/dInput fix) keeps one graph per T = {@code inputs[0].size(2)}, built on first use of that T and
 * reused afterwards; all graphs share the vertex's parameter arrays. The other inputs' lengths must not be
 * baked into the graph (read them from the variables' {@code shape()} at run time, not
 * {@code getShape()} at definition time): the graph is reused for any length of those.
 *
 * <p>Use it by overriding {@code instantiate} in the vertex configuration (as
 * {@code org.attentionzoo.layers.attention.AttentionDecoder} does).
 */
public class PerLengthSameDiffGraphVertex extends FixedSameDiffGraphVertex {

    private final Map<Long, Built> byLength = new HashMap<>();
    private long builtFor = -1;

    public PerLengthSameDiffGraphVertex(SameDiffVertex config, ComputationGraph graph, String name, int vertexIndex,
                                        INDArray paramsView, boolean initParams, DataType dataType) {
        super(config, graph, name, vertexIndex, paramsView, initParams, dataType);
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        selectGraphForInputs();
        return super.doForward(training, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        selectGraphForInputs();
        return super.doBackward(tbptt, workspaceMgr);
    }

    /** @return how many graphs (distinct lengths of the first input) have been built so far */
    public int graphCount() {
        return byLength.size() + (sameDiff != null && !byLength.containsKey(builtFor) ? 1 : 0);
    }

    private void selectGraphForInputs() {
        if (inputs == null || inputs[0] == null) {
            throw new IllegalStateException("vertex \"" + getVertexName() + "\": no input set");
        }
        long t = inputs[0].size(2);
        if (t == builtFor) {
            return;
        }
        if (sameDiff != null) {
            byLength.put(builtFor, new Built(sameDiff, outputVar, fn, outputKey, inputVars));
        }
        Built b = byLength.get(t);
        sameDiff = b == null ? null : b.sameDiff; // null: the superclass builds it (doInit) for these inputs
        outputVar = b == null ? null : b.outputVar;
        fn = b == null ? null : b.fn;
        outputKey = b == null ? null : b.outputKey;
        inputVars = b == null ? null : b.inputVars;
        builtFor = t;
    }

    private record Built(SameDiff sameDiff, SDVariable outputVar, ExternalErrorsFunction fn, String outputKey,
                         Map<String, SDVariable> inputVars) {
    }
}
