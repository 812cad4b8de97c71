package org.attentionzoo.layers;

import org.attentionzoo.util.DirectMatmul;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One step of the {@link GRU} layer's cell in eager INDArray math (gates [r | u | c], the "linear before
 * reset" form of libnd4j's {@code gru} op; see {@link GRU} for how it differs from Cho et al. 2014):
 * <pre>
 *   r = σ(x Wx_r + h Wh_r + b_r)               reset gate
 *   u = σ(x Wx_u + h Wh_u + b_u)               update gate
 *   c = tanh(x Wx_c + r ⊙ (h Wh_c) + b_c)       candidate
 *   h' = u ⊙ h + (1 − u) ⊙ c
 * </pre>
 * For decoding one token at a time and for checking the layer against plain math. The cell reads the
 * parameters it is given as they are (views stay views).
 */
public final class GruCell {

    private final INDArray inputWeights;
    private final INDArray recurrentWeights;
    private final INDArray bias;
    private final int hidden;

    /**
     * @param inputWeights     Wx [nIn, 3H]
     * @param recurrentWeights Wh [H, 3H]
     * @param bias             b [1, 3H]
     */
    public GruCell(INDArray inputWeights, INDArray recurrentWeights, INDArray bias) {
        this.inputWeights = inputWeights;
        this.recurrentWeights = recurrentWeights;
        this.bias = bias;
        this.hidden = (int) recurrentWeights.size(0);
        if (recurrentWeights.size(1) != 3L * hidden || bias.length() != 3L * hidden
                || inputWeights.size(1) != 3L * hidden) {
            throw new IllegalArgumentException("GRU cell: weights must be [nIn, 3H] and [H, 3H], the bias [1, 3H]; got "
                    + java.util.Arrays.toString(inputWeights.shape()) + ", "
                    + java.util.Arrays.toString(recurrentWeights.shape()) + " and " + java.util.Arrays.toString(bias.shape()));
        }
    }

    /** Hidden size H. */
    public int hiddenSize() {
        return hidden;
    }

    /** h_0 = 0 for {@code rows} rows, in the parameters' data type. */
    public INDArray zeroState(long rows) {
        return Nd4j.zeros(recurrentWeights.dataType(), rows, hidden);
    }

    /**
     * One step.
     *
     * @param x input [rows, nIn]
     * @param h previous state [rows, H]
     * @return the next state [rows, H]
     */
    public INDArray step(INDArray x, INDArray h) {
        INDArray gx = DirectMatmul.mmul(x, inputWeights).addiRowVector(bias);                   // [rows, 3H]
        INDArray gh = DirectMatmul.mmul(h, recurrentWeights);                                   // [rows, 3H]
        INDArray r = Transforms.sigmoid(block(gx, 0).addi(block(gh, 0)), false);
        INDArray u = Transforms.sigmoid(block(gx, 1).addi(block(gh, 1)), false);
        INDArray c = Transforms.tanh(block(gx, 2).addi(r.muli(block(gh, 2))), false);
        return c.add(u.muli(h.sub(c)));                                           // u ⊙ h + (1 − u) ⊙ c
    }

    /** Gate block k, as a new array. */
    private INDArray block(INDArray a, int k) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval((long) k * hidden, (long) (k + 1) * hidden)).dup();
    }
}
