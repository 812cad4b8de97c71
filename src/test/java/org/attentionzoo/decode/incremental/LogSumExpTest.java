package org.attentionzoo.decode.incremental;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LogSumExp} against the same sums computed with {@link Math#exp} in double. */
class LogSumExpTest {

    @Test
    void eachTermIsCloseToExp() {
        double worst = 0;
        for (int i = 0; i <= 320_000; i++) {
            float y = -32f * i / 320_000;
            worst = Math.max(worst, Math.abs(LogSumExp.expNonPositive(y) / Math.exp(y) - 1));
        }
        assertTrue(worst < 6e-6, "largest relative error on [-32, 0]: " + worst);
        assertEquals(1.0, LogSumExp.expNonPositive(0f), 1e-6);
        assertEquals(Math.exp(-32), LogSumExp.expNonPositive(-1e9f), 6e-6 * Math.exp(-32), "clamped at -32");
        assertEquals(Math.exp(-32), LogSumExp.expNonPositive(Float.NEGATIVE_INFINITY), 6e-6 * Math.exp(-32));
        assertTrue(Float.isNaN(LogSumExp.expNonPositive(Float.NaN)));
    }

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
                assertEquals((float) max, LogSumExp.max(x, n), 0.0);
                double got = LogSumExp.of(x, n, LogSumExp.max(x, n), new float[n]);
                assertEquals(max + Math.log(sum), got, 2e-6, n + " values, spread " + spread);
            }
        }
    }

    @Test
    void onlyTheFirstNValuesCount() {
        float[] x = {0f, (float) Math.log(3), 100f};
        assertEquals(Math.log(4), LogSumExp.of(x, 2, LogSumExp.max(x, 2), new float[3]), 1e-6);
        assertEquals((float) Math.log(3), LogSumExp.max(x, 2), 0.0);
    }
}
