package org.attentionzoo.decode.incremental;

import org.attentionzoo.util.SimdMath;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link LogSumExp} against the same sums computed with {@link Math#exp} in double. */
class LogSumExpTest {

    @Test
    void rowsOfLogitsMatchTheDoubleComputation() {
        Random random = new Random(3);
        for (int n : new int[]{1, 3, 7, 8000, 8003}) {
            for (double spread : new double[]{0.01, 1, 10, 100}) {
                float[] x = new float[n];
                double shift = random.nextGaussian() * 50;
                for (int j = 0; j < n; j++) {
                    x[j] = (float) (shift + spread * random.nextGaussian());
                }
                double max = Double.NEGATIVE_INFINITY;
                for (float value : x) {
                    max = Math.max(max, value);
                }
                double sum = 0;
                for (float value : x) {
                    sum += Math.exp(value - max);
                }
                assertEquals((float) max, SimdMath.max(x, n), 0.0);
                double got = LogSumExp.of(x, n, SimdMath.max(x, n), new float[n]);
                assertEquals(max + Math.log(sum), got, 2e-6, n + " values, spread " + spread);
            }
        }
    }

    @Test
    void onlyTheFirstNValuesCount() {
        float[] x = {0f, (float) Math.log(3), 100f};
        assertEquals(Math.log(4), LogSumExp.of(x, 2, SimdMath.max(x, 2), new float[3]), 1e-6);
        assertEquals((float) Math.log(3), SimdMath.max(x, 2), 0.0);
    }
}
