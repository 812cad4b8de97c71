package org.attentionzoo.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Step-by-step LSTM in plain INDArray math, independent of SameDiff, for checking {@link BiLSTM}:
 * <pre>
 *   z = x Wx + h Wr + b, gate blocks [i | f | g | o];  i, f, o = sigma(.), g = tanh(.)
 *   c' = f ⊙ c + i ⊙ g,   h' = o ⊙ tanh(c'),   h_0 = c_0 = 0
 * </pre>
 * Each example is run over its own real steps only (no padding is ever seen).
 */
final class ReferenceLstm {

    private ReferenceLstm() {
    }

    /**
     * @param x        input [mb, nIn, T]
     * @param lengths  real steps per example (at the start of the sequence)
     * @param wx       [nIn, 4 nOut]
     * @param wr       [nOut, 4 nOut]
     * @param b        [1, 4 nOut]
     * @param backward false: steps 0..L-1 in order; true: steps L-1..0, outputs stored at their own step
     * @return states [mb, nOut, T], 0 at padded steps
     */
    static INDArray run(INDArray x, int[] lengths, INDArray wx, INDArray wr, INDArray b, boolean backward) {
        long t = x.size(2);
        int n = (int) wr.size(0);
        INDArray out = Nd4j.zeros(x.dataType(), x.size(0), n, t);
        for (int e = 0; e < lengths.length; e++) {
            INDArray h = Nd4j.zeros(x.dataType(), 1, n);
            INDArray c = Nd4j.zeros(x.dataType(), 1, n);
            for (int k = 0; k < lengths[e]; k++) {
                int s = backward ? lengths[e] - 1 - k : k;
                INDArray xt = x.get(NDArrayIndex.interval(e, e + 1), NDArrayIndex.all(), NDArrayIndex.point(s))
                        .reshape(1, x.size(1));
                INDArray z = xt.mmul(wx).add(h.mmul(wr)).addRowVector(b);
                INDArray i = Transforms.sigmoid(gate(z, 0, n));
                INDArray f = Transforms.sigmoid(gate(z, 1, n));
                INDArray g = Transforms.tanh(gate(z, 2, n));
                INDArray o = Transforms.sigmoid(gate(z, 3, n));
                c = f.mul(c).add(i.mul(g));
                h = o.mul(Transforms.tanh(c));
                out.get(NDArrayIndex.point(e), NDArrayIndex.all(), NDArrayIndex.point(s)).assign(h.reshape(n));
            }
        }
        return out;
    }

    private static INDArray gate(INDArray a, int k, int n) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval((long) k * n, (long) (k + 1) * n)).dup();
    }
}
