package org.attentionzoo.layers;

import org.attentionzoo.util.DirectBuffers;
import org.deeplearning4j.nn.conf.graph.rnn.ReverseTimeSeriesVertex;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * DL4J's {@link ReverseTimeSeriesVertex}: each sequence of x [n, f, T] reversed within its real length, the
 * padding left at the end and set to 0; its own inverse, so the backward pass reverses the gradient the same
 * way. DL4J's copies one [f] vector per row and time step through views and reads the mask one
 * {@code getDouble} at a time (a visible share of a bidirectional RNN training step); this one reads the mask
 * once and copies the floats in one loop over the arrays' memory.
 *
 * <p>For float arrays in DL4J's dense f order and masks that are a prefix of ones in every row (how the zoo
 * pads its batches) the outputs and gradients are DL4J's exactly ({@code SequenceReverseTest}); anything else
 * goes to DL4J's own code.
 */
public class SequenceReverse extends ReverseTimeSeriesVertex {

    /** @param maskArrayInputName the network input whose mask gives each sequence's length */
    public SequenceReverse(@JsonProperty("maskArrayInputName") String maskArrayInputName) {
        super(maskArrayInputName);
    }

    @Override
    public SequenceReverse clone() {
        return new SequenceReverse(getMaskArrayInputName());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequenceReverse && super.equals(o);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + 7;
    }

    @Override
    public String toString() {
        return "SequenceReverse(inputName=" + getMaskArrayInputName() + ")";
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.impl.rnn.ReverseTimeSeriesVertex instantiate(
            ComputationGraph graph, String name, int idx, INDArray paramsView, boolean initializeParams,
            DataType networkDatatype) {
        return new Runtime(graph, name, idx, getMaskArrayInputName(), networkDatatype);
    }

    /** The runtime vertex: DL4J's, with forward and backward computed as described above where they can be. */
    public static class Runtime extends org.deeplearning4j.nn.graph.vertex.impl.rnn.ReverseTimeSeriesVertex {

        private final int maskInput;

        public Runtime(ComputationGraph graph, String name, int vertexIndex, String inputName, DataType dataType) {
            super(graph, name, vertexIndex, inputName, dataType);
            this.maskInput = inputName == null ? -1 : graph.getConfiguration().getNetworkInputs().indexOf(inputName);
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            INDArray out = reverse(inputs[0], mask(), workspaceMgr, ArrayType.ACTIVATIONS);
            return out != null ? out : super.doForward(training, workspaceMgr);
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
            INDArray out = reverse(epsilon, mask(), workspaceMgr, ArrayType.ACTIVATION_GRAD);
            return out != null ? new Pair<>(null, new INDArray[]{out}) : super.doBackward(tbptt, workspaceMgr);
        }

        private INDArray mask() {
            INDArray[] masks = maskInput < 0 ? null : graph.getInputMaskArrays();
            return masks == null ? null : masks[maskInput];
        }

        /**
         * x [n, f, T] with each row's first len entries along T reversed and the rest 0; null (DL4J's code then)
         * unless x is a dense f-ordered float array and the mask a prefix of ones in every row.
         */
        private static INDArray reverse(INDArray x, INDArray mask, LayerWorkspaceMgr workspaceMgr, ArrayType type) {
            if (x.rank() != 3 || x.dataType() != DataType.FLOAT || !denseF(x)) {
                return null;
            }
            int n = (int) x.size(0);
            int f = (int) x.size(1);
            int t = (int) x.size(2);
            int[] lengths = lengths(mask, n, t);
            if (lengths == null) {
                return null;
            }
            INDArray out = workspaceMgr.create(type, x.dataType(), x.shape(), 'f');          // zeros
            FloatBuffer in = DirectBuffers.floats(x);
            FloatBuffer to = DirectBuffers.floats(out);
            for (int s = 0; s < n; s++) {
                for (int k = 0; k < lengths[s]; k++) {
                    int from = s + n * f * k;                                // f order: (s, j, k) at s + n·j + n·f·k
                    int into = s + n * f * (lengths[s] - 1 - k);
                    for (int j = 0; j < f; j++) {
                        to.put(into + n * j, in.get(from + n * j));
                    }
                }
            }
            return out;
        }

        /**
         * Each row's length, the number of its leading non-zero mask entries; null if a non-zero entry follows a zero
         * in some row; all T without a mask.
         */
        static int[] lengths(INDArray mask, int n, int t) {
            int[] lengths = new int[n];
            if (mask == null) {
                Arrays.fill(lengths, t);
                return lengths;
            }
            double[][] m = mask.reshape(n, t).toDoubleMatrix();
            for (int r = 0; r < n; r++) {
                int len = 0;
                while (len < t && m[r][len] != 0) {
                    len++;
                }
                for (int j = len; j < t; j++) {
                    if (m[r][j] != 0) {
                        return null;
                    }
                }
                lengths[r] = len;
            }
            return lengths;
        }

        private static boolean denseF(INDArray x) {
            long[] stride = x.stride();
            return x.ordering() == 'f' && stride[0] == 1 && stride[1] == x.size(0)
                    && stride[2] == x.size(0) * x.size(1);
        }
    }
}
