package org.attentionzoo.layers;

import org.attentionzoo.util.DirectMatmul;
import org.attentionzoo.util.NumericBuffer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

/**
 * One LSTM direction over a batch of sequences, forward and backward, with the arrays of the forward pass kept for
 * the backward pass: the training math of the zoo's LSTM layers ({@link GemmLstm}, {@link KeptBiLSTM}), for any
 * {@link LstmCell.GateLayout}. With x_t the input, m_t the step's mask (1 without one) and ⊙ the element-wise
 * product:
 * <pre>
 *   z_t = x_t W + h_{t−1} R + b                    [mb, 4H]
 *   i, f, o = σ(z_i), σ(z_f), σ(z_o);  g = tanh(z_g)
 *   c̃_t = f ⊙ c_{t−1} + i ⊙ g,     c_t = m_t ⊙ c̃_t
 *   h_t = m_t ⊙ o ⊙ tanh(c̃_t)                       (h_{−1} = c_{−1} = 0)
 * </pre>
 * and backward, from dL/dh_t (ε_t plus what step t+1 sends back) and dL/dc_t:
 * <pre>
 *   dh = m_t ⊙ (ε_t + dz_{t+1} Rᵀ),   dc̃ = dh ⊙ o ⊙ (1 − tanh²(c̃_t)) + m_t ⊙ dc_t,   dc_{t−1} = dc̃ ⊙ f
 *   dz_g = dc̃ ⊙ i ⊙ (1 − g²),  dz_f = dc̃ ⊙ c_{t−1} ⊙ f(1 − f),
 *   dz_o = dh ⊙ tanh(c̃_t) ⊙ o(1 − o),  dz_i = dc̃ ⊙ g ⊙ i(1 − i)
 *   dW = Σ_t x_tᵀ dz_t,   dR = Σ_t h_{t−1}ᵀ dz_t,   db = Σ_t Σ_rows dz_t,   dL/dx_t = dz_t Wᵀ
 * </pre>
 * With a mask that is a prefix of ones, padded steps output 0, pass no gradient and leave the real steps as
 * they would be without the padding. The input products of all time steps are one matrix product, and so are
 * dW, dR and dL/dx after the backward loop; the per-step recurrent products go to OpenBLAS ({@link DirectMatmul}).
 * Sequences are time-major rows ([T · mb, ·], row t · mb + r is sequence r at step t), so each step's rows are
 * one contiguous block. Float or double.
 */
final class LstmSequence {

    final INDArray x;          // [T · mb, nIn]
    final INDArray gates;      // activated gates [T · mb, 4H], replaced by dz in the backward pass
    final INDArray cells;      // c̃_t before the mask, [T · mb, H]
    final INDArray tanhCells;  // tanh(c̃_t), [T · mb, H]
    final INDArray hidden;     // h_{t−1} for t = 0..T: [(T + 1) · mb, H], the first mb rows zero
    final double[] mask;       // m_t of sequence r at r · T + t, or null
    final int mb;
    final int steps;
    final int size;
    private final NumericBuffer gateValues;  // the memory of gates, cells, tanhCells
    private final NumericBuffer cellValues;
    private final NumericBuffer tanhValues;
    private final int in;      // column offsets of the gate blocks
    private final int fo;
    private final int ca;
    private final int ou;

    /**
     * The forward pass.
     *
     * @param layout the order of the gate blocks in W, R and b
     * @param x      the inputs as time-major rows [T · mb, nIn], dense row-major (kept, not copied)
     * @param mb     sequences in the batch
     * @param mask   m_t of sequence r at r · T + t, or null for all ones
     * @param w      W [nIn, 4H]
     * @param r      R [H, 4H]
     * @param b      b, 4H entries
     * @param mgr    where the kept arrays are created
     * @param keep   their array type (ACTIVATIONS for a training pass that the backward pass reads)
     */
    LstmSequence(LstmCell.GateLayout layout, INDArray x, int mb, double[] mask, INDArray w, INDArray r, INDArray b,
                 LayerWorkspaceMgr mgr, ArrayType keep) {
        DataType type = w.dataType();
        this.x = x;
        this.mb = mb;
        this.steps = (int) (x.size(0) / mb);
        this.size = (int) r.size(0);
        this.mask = mask;
        int h = size;
        this.in = layout.input * h;
        this.fo = layout.forget * h;
        this.ca = layout.candidate * h;
        this.ou = layout.output * h;
        gates = mgr.create(keep, type, new long[]{(long) steps * mb, 4L * h}, 'c');
        gates.addiRowVector(b.reshape(1, 4L * h));
        DirectMatmul.mmulAdd(x, w, gates);                                      // x W + b, every step at once
        cells = mgr.createUninitialized(keep, type, new long[]{(long) steps * mb, h}, 'c');
        tanhCells = mgr.createUninitialized(keep, type, new long[]{(long) steps * mb, h}, 'c');
        hidden = mgr.create(keep, type, new long[]{(long) (steps + 1) * mb, h}, 'c');
        gateValues = NumericBuffer.of(gates);
        cellValues = NumericBuffer.of(cells);
        tanhValues = NumericBuffer.of(tanhCells);
        NumericBuffer hiddenValues = NumericBuffer.of(hidden);
        for (int t = 0; t < steps; t++) {
            INDArray z = rows(gates, t);
            DirectMatmul.mmulAdd(rows(hidden, t), r, z);                           // + h_{t−1} R
            activate(z);
            cellStep(t);
            Nd4j.getExecutioner().exec(new Tanh(rows(cells, t), rows(tanhCells, t)));
            hiddenStep(t, hiddenValues);
        }
    }

    /** Step t's rows of a time-major array (a view). */
    INDArray rows(INDArray a, int t) {
        return a.get(interval((long) t * mb, (long) (t + 1) * mb), all());
    }

    /** h_t for t = 0..T−1 as time-major rows [T · mb, H] (a view). */
    INDArray outputs() {
        return hidden.get(interval(mb, (long) (steps + 1) * mb), all());
    }

    /**
     * tanh over the candidate block, σ over the others, each a libnd4j transform over the step's whole block
     * (cheaper than an exponential called in the loops).
     */
    private void activate(INDArray z) {
        int h = size;
        if (ca > 0) {
            Transforms.sigmoid(z.get(all(), interval(0, ca)), false);
        }
        Transforms.tanh(z.get(all(), interval(ca, ca + h)), false);
        if (ca + h < 4 * h) {
            Transforms.sigmoid(z.get(all(), interval(ca + h, 4 * h)), false);
        }
    }

    private double mask(int r, int t) {
        return mask == null ? 1.0 : mask[r * steps + t];
    }

    /** c_{t−1} = m_{t−1} ⊙ c̃_{t−1} of sequence r, unit j (0 at t = 0). */
    private double previousCell(int r, int t, int j) {
        return t == 0 ? 0.0 : mask(r, t - 1) * cellValues.get(((t - 1) * mb + r) * size + j);
    }

    /** c̃_t = f ⊙ c_{t−1} + i ⊙ g from step t's activated gates. */
    private void cellStep(int t) {
        int h = size;
        for (int r = 0; r < mb; r++) {
            int row = t * mb + r;
            int z = row * 4 * h;
            for (int j = 0; j < h; j++) {
                double cPrev = previousCell(r, t, j);
                cellValues.set(row * h + j, gateValues.get(z + fo + j) * cPrev
                        + gateValues.get(z + in + j) * gateValues.get(z + ca + j));
            }
        }
    }

    /** h_t = m_t ⊙ o ⊙ tanh(c̃_t). */
    private void hiddenStep(int t, NumericBuffer hiddenValues) {
        int h = size;
        for (int r = 0; r < mb; r++) {
            int row = t * mb + r;
            int z = row * 4 * h;
            double m = mask(r, t);
            for (int j = 0; j < h; j++) {
                hiddenValues.set((row + mb) * h + j, m * gateValues.get(z + ou + j) * tanhValues.get(row * h + j));
            }
        }
    }

    /**
     * The backward pass; run it once (it overwrites the kept gates with dz).
     *
     * @param eps dL/dh_t from above as time-major rows [T · mb, H], dense row-major; overwritten
     * @param w   W [nIn, 4H], as in the forward pass
     * @param r   R [H, 4H], as in the forward pass
     * @param dW  receives dL/dW [nIn, 4H]
     * @param dR  receives dL/dR [H, 4H]
     * @param dB  receives dL/db (4H entries, any shape)
     * @return dL/dx as time-major rows [T · mb, nIn], a new array in the current workspace
     */
    INDArray backward(INDArray eps, INDArray w, INDArray r, INDArray dW, INDArray dR, INDArray dB) {
        INDArray rT = r.transpose();
        NumericBuffer dh = NumericBuffer.of(eps);
        double[] dc = new double[mb * size];     // dL/dc_t
        double[] db = new double[4 * size];      // Σ dz, summed as the loop goes
        for (int t = steps - 1; t >= 0; t--) {
            if (t < steps - 1) {
                DirectMatmul.mmulAdd(rows(gates, t + 1), rT, rows(eps, t));         // + dz_{t+1} Rᵀ
            }
            backwardStep(t, dh, dc, db);
        }
        INDArray dz = gates;
        INDArray previousHidden = hidden.get(interval(0, (long) steps * mb), all());
        Nd4j.gemm(x, dz, dW, true, false, 1.0, 0.0);                                 // Σ_t x_tᵀ dz_t
        Nd4j.gemm(previousHidden, dz, dR, true, false, 1.0, 0.0);                     // Σ_t h_{t−1}ᵀ dz_t
        dB.assign(Nd4j.createFromArray(db).castTo(dB.dataType()).reshape(dB.shape()));
        return DirectMatmul.mmul(dz, w.transpose());                                  // [T · mb, nIn]
    }

    /**
     * dz_t from dL/dh_t (in {@code dh}, rows of step t) and dL/dc_t (in {@code dc}, replaced by dL/dc_{t−1}),
     * written over step t's gates and added to {@code db}.
     */
    private void backwardStep(int t, NumericBuffer dh, double[] dc, double[] db) {
        int h = size;
        for (int r = 0; r < mb; r++) {
            int row = t * mb + r;
            int z = row * 4 * h;
            double m = mask(r, t);
            for (int j = 0; j < h; j++) {
                double i = gateValues.get(z + in + j);
                double f = gateValues.get(z + fo + j);
                double g = gateValues.get(z + ca + j);
                double o = gateValues.get(z + ou + j);
                double tanhC = tanhValues.get(row * h + j);
                double cPrev = previousCell(r, t, j);
                double dOut = m * dh.get(row * h + j);
                double dCell = dOut * o * (1 - tanhC * tanhC) + m * dc[r * h + j];   // dc̃
                dc[r * h + j] = dCell * f;                                          // dc_{t−1}
                double dzI = dCell * g * i * (1 - i);
                double dzF = dCell * cPrev * f * (1 - f);
                double dzG = dCell * i * (1 - g * g);
                double dzO = dOut * tanhC * o * (1 - o);
                gateValues.set(z + in + j, dzI);
                gateValues.set(z + fo + j, dzF);
                gateValues.set(z + ca + j, dzG);
                gateValues.set(z + ou + j, dzO);
                db[in + j] += dzI;
                db[fo + j] += dzF;
                db[ca + j] += dzG;
                db[ou + j] += dzO;
            }
        }
    }
}
