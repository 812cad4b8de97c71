package org.attentionzoo.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Step-by-step LSTM in plain INDArray math ({@link LstmCell}, gate blocks [i | f | g | o]), independent of
 * SameDiff, for checking {@link BiLSTM}:
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
        LstmCell cell = new LstmCell(LstmCell.GateLayout.LSTM_LAYER_OP, wr, b, wx);
        int n = cell.hiddenSize();
        INDArray out = Nd4j.zeros(x.dataType(), x.size(0), n, t);
        for (int e = 0; e < lengths.length; e++) {
            LstmCell.State state = cell.zeroState(1);
            for (int k = 0; k < lengths[e]; k++) {
                int s = backward ? lengths[e] - 1 - k : k;
                INDArray xt = x.get(NDArrayIndex.interval(e, e + 1), NDArrayIndex.all(), NDArrayIndex.point(s))
                        .reshape(1, x.size(1));
                state = cell.step(state, xt);
                out.get(NDArrayIndex.point(e), NDArrayIndex.all(), NDArrayIndex.point(s)).assign(state.h().reshape(n));
            }
        }
        return out;
    }
}
