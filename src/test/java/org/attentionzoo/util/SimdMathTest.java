package org.attentionzoo.util;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SimdMath} against {@link Math#exp} and {@link Math#tanh} in double, on dense grids of float inputs. */
class SimdMathTest {

    @Test
    void expNonPositiveIsCloseToExp() {
        double worst = 0;
        for (int i = 0; i <= 320_000; i++) {
            float y = -32f * i / 320_000;
            worst = Math.max(worst, Math.abs(SimdMath.expNonPositive(y) / Math.exp(y) - 1));
        }
        assertTrue(worst < 6e-6, "largest relative error on [-32, 0]: " + worst);
        assertEquals(1.0, SimdMath.expNonPositive(0f), 1e-6);
        assertEquals(Math.exp(-32), SimdMath.expNonPositive(-1e9f), 6e-6 * Math.exp(-32), "clamped at -32");
        assertEquals(Math.exp(-32), SimdMath.expNonPositive(Float.NEGATIVE_INFINITY), 6e-6 * Math.exp(-32));
        assertTrue(Float.isNaN(SimdMath.expNonPositive(Float.NaN)));
    }

    @Test
    void expm1KeepsItsRelativeAccuracyNearZero() {
        double worst = 0;
        for (int i = -320_000; i <= 320_000; i++) {
            float y = 32f * i / 320_000;
            if (y != 0) {
                worst = Math.max(worst, Math.abs(SimdMath.expm1(y) / Math.expm1(y) - 1));
            }
        }
        assertTrue(worst < 1e-5, "largest relative error on [-32, 32]: " + worst);
        assertEquals(1e-7, SimdMath.expm1(1e-7f), 1e-13, "no cancellation at small arguments");
    }

    @Test
    void sigmoidAndTanhAreCloseToTheirDefinitions() {
        double worstSigmoid = 0;
        double worstTanh = 0;
        double worstTanhAbsolute = 0;
        for (int i = -400_000; i <= 400_000; i++) {
            float x = 40f * i / 400_000;
            double sigmoid = 1 / (1 + Math.exp(-(double) x));
            worstSigmoid = Math.max(worstSigmoid, Math.abs(SimdMath.sigmoid(x) - sigmoid));
            double tanh = Math.tanh(x);
            if (x != 0) {
                worstTanh = Math.max(worstTanh, Math.abs(SimdMath.tanh(x) - tanh) / Math.abs(tanh));
            }
            worstTanhAbsolute = Math.max(worstTanhAbsolute, Math.abs(SimdMath.tanh(x) - tanh));
        }
        // sigmoid below x = -32 is clamped to sigmoid(-32) ≈ 1.3e-14: relative error there is large, absolute tiny
        double worstSigmoidInRange = 0;
        for (int i = -320_000; i <= 400_000; i++) {
            float x = 40f * i / 400_000;
            double sigmoid = 1 / (1 + Math.exp(-(double) x));
            worstSigmoidInRange = Math.max(worstSigmoidInRange, Math.abs(SimdMath.sigmoid(x) - sigmoid) / sigmoid);
        }
        assertTrue(worstSigmoidInRange < 2e-5, "sigmoid, largest relative error on [-32, 40]: " + worstSigmoidInRange);
        assertTrue(worstTanh < 1e-6, "tanh, largest relative error on [-40, 40]: " + worstTanh);
        assertTrue(worstTanhAbsolute < 5e-7, "tanh, largest absolute error: " + worstTanhAbsolute);
        assertTrue(worstSigmoid < 3e-7, "sigmoid, largest absolute error on [-40, 40]: " + worstSigmoid);
        assertEquals(0.0, SimdMath.tanh(0f), 0.0);
        assertEquals(0.5, SimdMath.sigmoid(0f), 0.0);
        assertEquals(1.0, SimdMath.sigmoid(1000f), 0.0);
        assertEquals(0.0, SimdMath.sigmoid(-1000f), 1e-13);
        assertEquals(-1.0, SimdMath.tanh(-1000f), 0.0);
    }

    @Test
    void tanhOfAnArrayInPlaceInEveryLayout() {
        INDArray x = Nd4j.linspace(-6, 6, 24,
                DataType.DOUBLE).reshape('c', 2, 3, 4);
        INDArray expected = Transforms.tanh(x, true);
        for (char order : new char[]{'c', 'f'}) {
            for (DataType type : new DataType[]{
                    DataType.FLOAT, DataType.DOUBLE}) {
                INDArray a = x.castTo(type).dup(order);
                INDArray got = SimdMath.tanhInPlace(a);
                assertSame(a, got, "in place");
                double worst = expected.sub(got.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
                assertTrue(worst < 5e-7, order + " " + type + ": " + worst);
            }
        }
    }

    @Test
    void maxSkipsNaNAndReadsOnlyTheFirstN() {
        float[] x = {-3f, Float.NaN, 2.5f, -0f, 9f};
        assertEquals(2.5f, SimdMath.max(x, 4), 0f);
        assertEquals(9f, SimdMath.max(x, 5), 0f);
        assertEquals(Float.NEGATIVE_INFINITY, SimdMath.max(x, 0), 0f);
        assertEquals(Float.NEGATIVE_INFINITY, SimdMath.max(new float[]{Float.NaN}, 1), 0f);
    }

    @Test
    void inPlaceLoopsTouchOnlyTheirRange() {
        float[] original = {3f, -1f, 0.5f, 2f, 7f};
        float[] a = original.clone();
        float[] b = original.clone();
        SimdMath.sigmoidInPlace(a, 1, 3);
        SimdMath.tanhInPlace(b, 2, 2);
        assertEquals(3f, a[0], 0f);
        assertEquals(7f, a[4], 0f);
        for (int j = 1; j < 4; j++) {
            assertEquals(1 / (1 + Math.exp(-(double) original[j])), a[j], 1e-6, "sigmoid at " + j);
        }
        assertEquals(Arrays.asList(3f, -1f), Arrays.asList(b[0], b[1]));
        assertEquals(Math.tanh(0.5), b[2], 1e-7);
        assertEquals(Math.tanh(2.0), b[3], 1e-7);
        assertEquals(7f, b[4], 0f);
    }
}
