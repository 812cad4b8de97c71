package org.attentionzoo.layers;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LstmCell#step} against the equations of its Javadoc written out here in double precision, for every
 * gate layout, an input in two parts, one to 200 rows, in float (the gates in Java loops, see
 * {@link org.attentionzoo.util.SimdMath}) and in double (ND4J's operations).
 */
class LstmCellTest {

    /** The LSTM equations in double: z = Σ x_k W_k + h R + b; i, f, o = σ(·), g = tanh(·); c' and h'. */
    private static INDArray[] expected(LstmCell.GateLayout layout, int[] blocks, INDArray r, INDArray b, INDArray[] w,
                                       INDArray[] x, INDArray h, INDArray c) {
        INDArray z = h.castTo(DataType.DOUBLE).mmul(r.castTo(DataType.DOUBLE)).addRowVector(b.castTo(DataType.DOUBLE));
        for (int k = 0; k < w.length; k++) {
            z.addi(x[k].castTo(DataType.DOUBLE).mmul(w[k].castTo(DataType.DOUBLE)));
        }
        long hs = h.size(1);
        INDArray[] gate = new INDArray[4];
        for (int k = 0; k < 4; k++) {
            gate[k] = z.get(NDArrayIndex.all(), NDArrayIndex.interval(blocks[k] * hs, (blocks[k] + 1) * hs)).dup();
        }
        INDArray i = Transforms.sigmoid(gate[0]);
        INDArray f = Transforms.sigmoid(gate[1]);
        INDArray g = Transforms.tanh(gate[2]);
        INDArray o = Transforms.sigmoid(gate[3]);
        INDArray cNext = f.mul(c.castTo(DataType.DOUBLE)).add(i.mul(g));
        return new INDArray[]{o.mul(Transforms.tanh(cNext)), cNext};
    }

    @Test
    void stepsFollowTheEquationsWithFewAndManyRows() {
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            stepsFollowTheEquations(type, type == DataType.FLOAT ? 2e-6 : 1e-12, type == DataType.FLOAT ? 1e-5 : 1e-12);
        }
    }

    private static void stepsFollowTheEquations(DataType type, double toleranceH, double toleranceC) {
        Nd4j.getRandom().setSeed(3);
        int hs = 16;
        int[][] blocksOf = {{3, 1, 0, 2}, {0, 1, 2, 3}, {0, 1, 3, 2}};                // i, f, g, o per layout
        LstmCell.GateLayout[] layouts = {LstmCell.GateLayout.DL4J_LSTM, LstmCell.GateLayout.LSTM_LAYER_OP,
                LstmCell.GateLayout.IFOG};
        for (int l = 0; l < layouts.length; l++) {
            INDArray r = Nd4j.randn(type, hs, 4 * hs).dup('f');
            INDArray b = Nd4j.randn(type, 1, 4 * hs);
            INDArray[] w = {Nd4j.randn(type, 5, 4 * hs).dup('f'), Nd4j.randn(type, 3, 4 * hs)};
            LstmCell cell = new LstmCell(layouts[l], r, b, w);
            for (int rows : new int[]{1, 3, 64, 200}) {
                INDArray[] x = {Nd4j.randn(type, rows, 5), Nd4j.randn(type, rows, 3)};
                INDArray h = Nd4j.randn(type, rows, hs);
                INDArray c = Nd4j.randn(type, rows, hs).muli(2);
                LstmCell.State next = cell.step(new LstmCell.State(h, c), x);
                INDArray[] want = expected(layouts[l], blocksOf[l], r, b, w, x, h, c);
                double dh = want[0].sub(next.h().castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
                double dc = want[1].sub(next.c().castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
                String label = layouts[l] + ", " + type + ", " + rows + " rows";
                assertTrue(dh < toleranceH && dc < toleranceC, label + ": max |Δh| " + dh + ", |Δc| " + dc);
            }
        }
    }

    @Test
    void extremePreActivationsSaturateWithoutOverflow() {
        int hs = 4;
        INDArray r = Nd4j.zeros(DataType.FLOAT, hs, 4 * hs);
        INDArray b = Nd4j.createFromArray(new float[]{-1000, -1000, -1000, -1000, 1000, 1000, 1000, 1000,
                1000, 1000, 1000, 1000, -1000, -1000, -1000, -1000}).reshape(1, 4 * hs);
        LstmCell cell = new LstmCell(LstmCell.GateLayout.LSTM_LAYER_OP, r, b, Nd4j.zeros(DataType.FLOAT, 2, 4 * hs));
        LstmCell.State next = cell.step(new LstmCell.State(Nd4j.zeros(DataType.FLOAT, 1, hs),
                Nd4j.ones(DataType.FLOAT, 1, hs)), Nd4j.zeros(DataType.FLOAT, 1, 2));
        // i = 0, f = 1, g = 1, o = 0: c' = c = 1, h' = 0 (to 1e-13: the float gates clamp sigmoid at sigmoid(-32) ≈ 1.3e-14)
        assertTrue(next.c().equalsWithEps(Nd4j.ones(DataType.FLOAT, 1, hs), 1e-13), next.c().toString());
        assertTrue(next.h().equalsWithEps(Nd4j.zeros(DataType.FLOAT, 1, hs), 1e-13), next.h().toString());
    }
}
