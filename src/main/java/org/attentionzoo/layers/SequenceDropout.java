package org.attentionzoo.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;

import java.util.Collection;

/**
 * Dropout for sequences [mb, size, T] with a time mask [mb, T]. DL4J M2.1's {@code DropoutLayer} multiplies
 * its input by the mask as a column vector, which fails for a sequence with a time mask ("Mismatched
 * shapes (shape = [32, 8, 5], column vector shape = [32, 5])"); this layer applies the same inverted
 * dropout (keep probability 1 − p, survivors scaled by 1/(1 − p), nothing at inference) and multiplies
 * the mask along the batch and time axes. Needed because SameDiff layers ignore DL4J's per-layer dropout.
 */
public class SequenceDropout extends DropoutLayer {

    /** For Jackson only. */
    private SequenceDropout() {
    }

    /** @param dropProbability the probability of dropping a unit, in [0, 1) */
    public SequenceDropout(double dropProbability) {
        super(new Dropout(1.0 - checked(dropProbability)));
    }

    private static double checked(double p) {
        if (p < 0 || p >= 1) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1); got " + p);
        }
        return p;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return LayerRuntimes.wire(new Runtime(conf, networkDataType), this, conf, listeners, layerIndex, paramsView,
                initializeParams);
    }

    @Override
    public SequenceDropout clone() {
        return (SequenceDropout) super.clone();
    }

    /** DL4J's dropout runtime with the time mask applied along axes (0, 2). */
    static final class Runtime extends org.deeplearning4j.nn.layers.DropoutLayer {

        Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            INDArray mask = timeMask();
            maskArray = null;
            try {
                return masked(super.activate(training, workspaceMgr), mask);
            } finally {
                maskArray = mask;
            }
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            INDArray mask = timeMask();
            maskArray = null;
            try {
                Pair<Gradient, INDArray> result = super.backpropGradient(epsilon, workspaceMgr);
                return new Pair<>(result.getFirst(), masked(result.getSecond(), mask));
            } finally {
                maskArray = mask;
            }
        }

        private INDArray timeMask() {
            if (maskArray != null && (input == null || input.rank() != 3 || maskArray.rank() != 2)) {
                throw new IllegalStateException("SequenceDropout takes [mb, size, T] input with a [mb, T] mask; got input "
                        + (input == null ? null : java.util.Arrays.toString(input.shape())) + " and mask "
                        + java.util.Arrays.toString(maskArray.shape()));
            }
            return maskArray;
        }

        private static INDArray masked(INDArray x, INDArray mask) {
            if (mask != null) {
                Broadcast.mul(x, mask.castTo(x.dataType()), x, 0, 2);
            }
            return x;
        }
    }
}
