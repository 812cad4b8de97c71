package org.attentionzoo.optim;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ParallelAdam computes what DL4J's Adam op computes: the updates and both moments, step after step. */
class ParallelAdamTest {

    /**
     * Runs both updaters side by side on the same gradients, their state as views at an offset inside a larger
     * array (as DL4J's updater blocks hold it), and compares updates and moments after every step.
     */
    private static void sameAsDl4j(Adam dl4j, ParallelAdam ours, DataType type, int n, double tolerance) {
        INDArray stateA = Nd4j.zeros(type, 1, 2L * n + 10);
        INDArray stateB = Nd4j.zeros(type, 1, 2L * n + 10);
        GradientUpdater<?> a = dl4j.instantiate(stateA.get(NDArrayIndex.point(0), NDArrayIndex.interval(7, 7 + 2L * n))
                .reshape(1, 2L * n), true);
        GradientUpdater<?> b = ours.instantiate(stateB.get(NDArrayIndex.point(0), NDArrayIndex.interval(7, 7 + 2L * n))
                .reshape(1, 2L * n), true);
        assertInstanceOf(ParallelAdam.Updater.class, b);
        Nd4j.getRandom().setSeed(5);
        for (int iteration = 0; iteration < 6; iteration++) {
            INDArray base = Nd4j.randn(type, 1, n + 3).muli(iteration % 2 == 0 ? 0.1 : 3);
            INDArray gA = base.get(NDArrayIndex.point(0), NDArrayIndex.interval(3, 3 + n)).reshape(1, n).dup();
            INDArray gB = Nd4j.zeros(type, 1, n + 3).get(NDArrayIndex.point(0), NDArrayIndex.interval(2, 2 + n))
                    .reshape(1, n);
            gB.assign(gA);                                                    // a view at an offset
            a.applyUpdater(gA, iteration, 0);
            b.applyUpdater(gB, iteration, 0);
            assertClose(gA, gB, tolerance, "update at iteration " + iteration);
            assertClose(stateA, stateB, tolerance, "moments at iteration " + iteration);
        }
        assertTrue(stateB.getDouble(0, 7) != 0 && stateB.getDouble(0, 7 + n) != 0, "both moments were written");
        assertEquals(0.0, stateB.getDouble(0, 6), 0.0, "nothing before the view");
        assertEquals(0.0, stateB.getDouble(0, 7 + 2L * n), 0.0, "nothing after the view");
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        double scale = expected.norm2Number().doubleValue();
        double diff = expected.sub(actual).norm2Number().doubleValue();
        assertTrue(diff <= tolerance * scale, what + ": relative difference " + diff / scale);
    }

    /**
     * In float the two differ by 6.7e-6 at the first step: libnd4j computes the bias correction in the array's
     * type, and 1 − 0.999f = 0.00099998713 is 1.29e-5 off 0.001, 6.4e-6 after the square root; ParallelAdam
     * computes α_t in double (the double test below agrees to 1e-12).
     */
    private static final double FLOAT_TOLERANCE = 1e-5;

    @Test
    void floatUpdatesMatchDl4jsAdamOnOneThread() {
        sameAsDl4j(new Adam(0.01), new ParallelAdam(0.01), DataType.FLOAT, 1000, FLOAT_TOLERANCE);
    }

    @Test
    void floatUpdatesMatchDl4jsAdamInParallelSlices() {
        // Large enough to be cut into one slice per worker thread.
        sameAsDl4j(new Adam(0.01), new ParallelAdam(0.01), DataType.FLOAT, 300_001, FLOAT_TOLERANCE);
    }

    @Test
    void doubleUpdatesMatchDl4jsAdamWithTheNoamSchedule() {
        NoamSchedule noam = new NoamSchedule(2.0, 64, 4);
        Adam dl4j = new Adam(Double.NaN, 0.9, 0.98, 1e-9);
        dl4j.setLearningRateSchedule(noam);
        sameAsDl4j(dl4j, new ParallelAdam(Double.NaN, noam, 0.9, 0.98, 1e-9), DataType.DOUBLE, 200_003, 1e-12);
    }

    @Test
    void floatChunksGiveTheElementwiseFormulaBitForBit() {
        int n = 3 * 4096 + 17;                                             // whole chunks and a partial one
        INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 2L * n);
        GradientUpdater<?> u = new ParallelAdam(0.01).instantiate(state, true);
        Nd4j.getRandom().setSeed(9);
        float[] m = new float[n];
        float[] v = new float[n];
        for (int iteration = 0; iteration < 3; iteration++) {
            INDArray g = Nd4j.randn(DataType.FLOAT, 1, n);
            float[] gs = g.toFloatVector();
            u.applyUpdater(g, iteration, 0);
            float alphaT = (float) (0.01 * Math.sqrt(1 - Math.pow(0.999, iteration + 1)) / (1 - Math.pow(0.9, iteration + 1)));
            float[] update = g.toFloatVector();
            for (int i = 0; i < n; i++) {
                m[i] = 0.9f * m[i] + (1 - 0.9f) * gs[i];
                v[i] = 0.999f * v[i] + (1 - 0.999f) * gs[i] * gs[i];
                float expected = alphaT * m[i] / ((float) Math.sqrt(v[i]) + 1e-8f);
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(update[i]), "element " + i);
            }
        }
    }

    @Test
    void survivesJsonAndCloneAsItself() throws Exception {
        ParallelAdam adam = new ParallelAdam(Double.NaN, new NoamSchedule(2.0, 256, 1000), 0.9, 0.98, 1e-9);
        ObjectMapper json = new ObjectMapper();
        IUpdater back = json.readValue(json.writeValueAsString(adam), IUpdater.class);
        assertInstanceOf(ParallelAdam.class, back);
        assertEquals(adam, back);
        assertEquals(adam.getLearningRate(999, 0), back.getLearningRate(999, 0), 0);
        assertEquals(0.98, ((ParallelAdam) back).getBeta2(), 0);
        assertInstanceOf(ParallelAdam.class, adam.clone());
        assertEquals(adam, adam.clone());
        assertTrue(!adam.equals(new Adam(Double.NaN, 0.9, 0.98, 1e-9)), "DL4J's Adam is another updater");
    }
}
