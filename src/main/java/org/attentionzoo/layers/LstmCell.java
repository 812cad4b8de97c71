package org.attentionzoo.layers;

import org.attentionzoo.util.DirectBuffers;
import org.attentionzoo.util.DirectMatmul;
import org.attentionzoo.util.SimdMath;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One step of an LSTM (Hochreiter and Schmidhuber 1997, with the forget gate of Gers et al. 2000; no
 * peepholes) in eager INDArray math, for decoding one token at a time and for checking the layers
 * against plain math. With x the input row, σ the logistic sigmoid and ⊙ the element-wise product:
 * <pre>
 *   z   = x W + h_{t-1} R + b                    [rows, 4H], four gate blocks of H columns
 *   i, f, o = σ(z_i), σ(z_f), σ(z_o);  g = tanh(z_g)
 *   c_t = f ⊙ c_{t-1} + i ⊙ g                    cell state
 *   h_t = o ⊙ tanh(c_t)                          hidden state (the layer's output)
 * </pre>
 * The input may come in parts with their own row blocks of W: x = [x_1 ; x_2] gives
 * x W = x_1 W_1 + x_2 W_2 (as {@link org.attentionzoo.layers.attention.AttentionDecoder} stores them: one
 * matrix per input).
 *
 * <p>The layers of the zoo store the four blocks in different orders ({@link GateLayout}); the cell
 * reads the parameters it is given as they are (views stay views: a later change of the layer's
 * parameters is seen).
 *
 * @see org.attentionzoo.layers.attention.AttentionDecoder
 */
public final class LstmCell {

    /** Where each gate's block of H columns sits in W, R and b (block index 0..3). */
    public enum GateLayout {
        /**
         * DL4J's built-in {@code LSTM} layer ({@code LSTMHelpers} in deeplearning4j-nn M2.1):
         * [g | f | o | i]: block 0 is the cell input, passed through the layer's activation (tanh here).
         */
        DL4J_LSTM(3, 1, 0, 2),
        /** libnd4j's {@code lstmLayer} op, used by {@link BiLSTM}: [i | f | g | o]. */
        LSTM_LAYER_OP(0, 1, 2, 3),
        /** {@link org.attentionzoo.layers.attention.AttentionDecoder}: [i | f | o | g]. */
        IFOG(0, 1, 3, 2);

        // block indices, read by LstmSequence too
        final int input;
        final int forget;
        final int candidate;
        final int output;

        GateLayout(int input, int forget, int candidate, int output) {
            this.input = input;
            this.forget = forget;
            this.candidate = candidate;
            this.output = output;
        }
    }

    /**
     * @param h hidden state h_t [rows, H]
     * @param c cell state c_t [rows, H]
     */
    public record State(INDArray h, INDArray c) {
    }

    private final GateLayout layout;
    private final INDArray[] inputWeights;
    private final INDArray recurrentWeights;
    private final INDArray bias;
    private final int hidden;

    /**
     * @param layout           the order of the gate blocks in the parameters
     * @param recurrentWeights R [H, 4H]
     * @param bias             b [1, 4H]
     * @param inputWeights     W [nIn, 4H], or its row blocks W_1, W_2, … for an input given in parts
     */
    public LstmCell(GateLayout layout, INDArray recurrentWeights, INDArray bias, INDArray... inputWeights) {
        if (inputWeights.length == 0) {
            throw new IllegalArgumentException("an LSTM cell needs input weights");
        }
        this.layout = layout;
        this.recurrentWeights = recurrentWeights;
        this.bias = bias;
        this.inputWeights = inputWeights.clone();
        this.hidden = (int) recurrentWeights.size(0);
        if (recurrentWeights.size(1) != 4L * hidden || bias.length() != 4L * hidden) {
            throw new IllegalArgumentException("LSTM cell: recurrent weights must be [H, 4H] and the bias [1, 4H]; got "
                    + java.util.Arrays.toString(recurrentWeights.shape()) + " and " + java.util.Arrays.toString(bias.shape()));
        }
    }

    /** Hidden size H. */
    public int hiddenSize() {
        return hidden;
    }

    /** h_0 = c_0 = 0 for {@code rows} rows, in the parameters' data type. */
    public State zeroState(long rows) {
        return new State(Nd4j.zeros(recurrentWeights.dataType(), rows, hidden),
                Nd4j.zeros(recurrentWeights.dataType(), rows, hidden));
    }

    /**
     * One step.
     *
     * @param previous h_{t-1} and c_{t-1}
     * @param inputs   x [rows, nIn], or its parts x_1, x_2, … matching the input weight blocks
     * @return h_t and c_t
     */
    public State step(State previous, INDArray... inputs) {
        if (inputs.length != inputWeights.length) {
            throw new IllegalArgumentException("LSTM cell: " + inputWeights.length + " input weight blocks but "
                    + inputs.length + " inputs");
        }
        INDArray z = DirectMatmul.mmul(inputs[0], inputWeights[0]);
        for (int k = 1; k < inputs.length; k++) {
            DirectMatmul.mmulAdd(inputs[k], inputWeights[k], z);
        }
        return recur(previous, z);
    }

    /**
     * One step from an input product computed beforehand (for instance for every time step of a sequence in
     * one matrix product): z = P + h_{t-1} R + b with P = x W.
     *
     * @param projected x W [rows, 4H], the step's scratch: overwritten when its rows lie densely in memory (as a
     *                  block of rows of a row-major product does), else copied first
     */
    public State stepFromProjection(State previous, INDArray projected) {
        if (projected.rank() != 2 || projected.size(1) != 4L * hidden) {
            throw new IllegalArgumentException("LSTM cell: the input product must be [rows, " + 4 * hidden + "]; got "
                    + java.util.Arrays.toString(projected.shape()));
        }
        return recur(previous, DirectBuffers.denseRows(projected) ? projected : projected.dup('c'));
    }

    /** The rest of a step from z = x W, which it overwrites: adds h R and b, then the gates. */
    private State recur(State previous, INDArray z) {
        DirectMatmul.mmulAdd(previous.h(), recurrentWeights, z);                              // [rows, 4H]
        if (DirectBuffers.floatRows(z) && DirectBuffers.floatRows(previous.c())
                && bias.dataType() == DataType.FLOAT && DirectBuffers.contiguous(bias)) {
            return floatGates(z, previous.c());
        }
        z.addiRowVector(bias);
        INDArray i = Transforms.sigmoid(block(z, layout.input), false);
        INDArray f = Transforms.sigmoid(block(z, layout.forget), false);
        INDArray g = Transforms.tanh(block(z, layout.candidate), false);
        INDArray o = Transforms.sigmoid(block(z, layout.output), false);
        INDArray c = f.muli(previous.c()).addi(i.muli(g));                        // c_t = f ⊙ c_{t-1} + i ⊙ g
        INDArray h = o.muli(Transforms.tanh(c, true));                            // h_t = o ⊙ tanh(c_t)
        return new State(h, c);
    }

    /**
     * The gates, c_t and h_t of {@link #step} in float from z = x W + h R (bias not yet added), in Java arrays
     * with {@link SimdMath}'s loops, which C2 vectorises, instead of ND4J's ten operations (each a dispatch and
     * an output array, libnd4j's sigmoid and tanh scalar).
     */
    private State floatGates(INDArray z, INDArray cPrevious) {
        int n = (int) z.size(0);
        int hs = hidden;
        int width = 4 * hs;
        float[] gates = new float[n * width];
        float[] b = new float[width];
        float[] c = new float[n * hs];
        float[] h = new float[n * hs];
        DirectBuffers.floats(z).get(0, gates);
        DirectBuffers.floats(bias).get(0, b);
        DirectBuffers.floats(cPrevious).get(0, c);
        int in = layout.input * hs;
        int fo = layout.forget * hs;
        int ca = layout.candidate * hs;
        int ou = layout.output * hs;
        for (int r = 0; r < n; r++) {
            int row = r * width;
            int at = r * hs;
            for (int j = 0; j < width; j++) {
                gates[row + j] += b[j];
            }
            SimdMath.sigmoidInPlace(gates, row + in, hs);                         // i
            SimdMath.sigmoidInPlace(gates, row + fo, hs);                         // f
            SimdMath.tanhInPlace(gates, row + ca, hs);                            // g
            SimdMath.sigmoidInPlace(gates, row + ou, hs);                         // o
            for (int j = 0; j < hs; j++) {                                        // c_t = f ⊙ c_{t-1} + i ⊙ g
                c[at + j] = gates[row + fo + j] * c[at + j] + gates[row + in + j] * gates[row + ca + j];
            }
            System.arraycopy(c, at, h, at, hs);
            SimdMath.tanhInPlace(h, at, hs);
            for (int j = 0; j < hs; j++) {                                        // h_t = o ⊙ tanh(c_t)
                h[at + j] *= gates[row + ou + j];
            }
        }
        return new State(rows(h, n), rows(c, n));
    }

    /** A new float [n, H] array holding {@code values}. */
    private INDArray rows(float[] values, int n) {
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, new long[]{n, hidden}, 'c');
        DirectBuffers.floats(a).put(0, values);
        return a;
    }

    /** Block k of the gates, as a new array. */
    private INDArray block(INDArray z, int k) {
        return z.get(NDArrayIndex.all(), NDArrayIndex.interval((long) k * hidden, (long) (k + 1) * hidden)).dup();
    }
}
