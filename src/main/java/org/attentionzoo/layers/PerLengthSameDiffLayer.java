package org.attentionzoo.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
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
 * Runtime for SameDiff layers whose graph depends on the sequence length T (a time loop unrolled in
 * {@code defineLayer}). DL4J's {@link SameDiffLayer} builds its SameDiff graph once, from the first input's
 * shape, and reuses it for every later input; this subclass keeps one graph per T (input dimension 2),
 * built on first use of that T and reused afterwards. All graphs share the layer's parameter arrays.
 * Use it by overriding {@code instantiate} in the layer configuration (see {@link GRU#instantiate}).
 */
public class PerLengthSameDiffLayer extends SameDiffLayer {

    private final Map<Long, Built> byLength = new HashMap<>();
    private long builtFor = -1;

    public PerLengthSameDiffLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        selectGraphForInput();
        return super.activate(training, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        selectGraphForInput();
        return super.backpropGradient(epsilon, workspaceMgr);
    }

    /** @return how many graphs (distinct lengths) have been built so far */
    public int graphCount() {
        return byLength.size() + (sameDiff != null && !byLength.containsKey(builtFor) ? 1 : 0);
    }

    private void selectGraphForInput() {
        assertInputSet(false);
        long t = input.size(2);
        if (t == builtFor) {
            return;
        }
        if (sameDiff != null) {
            byLength.put(builtFor, new Built(sameDiff, outputVar, fn, outputKey));
        }
        Built b = byLength.get(t);
        sameDiff = b == null ? null : b.sameDiff; // null: the superclass builds it for this input
        outputVar = b == null ? null : b.outputVar;
        fn = b == null ? null : b.fn;
        outputKey = b == null ? null : b.outputKey;
        builtFor = t;
    }

    private record Built(SameDiff sameDiff, SDVariable outputVar, ExternalErrorsFunction fn, String outputKey) {
    }
}
