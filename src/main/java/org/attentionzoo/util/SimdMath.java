package org.attentionzoo.util;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.nio.FloatBuffer;

/**
 * exp, sigmoid and tanh over float arrays in loops that HotSpot's C2 compiler turns into SIMD instructions
 * on JDK 17: only multiplications, additions, divisions, min and max, no {@code Math.exp} (a scalar call) and
 * no float-bit tricks (building 2^n from an int is not vectorised either); libnd4j's float exp, sigmoid and tanh
 * are scalar {@code libm} calls per value. Both functions rest on exp(y) = exp(y / 2^k)^(2^k):
 * <pre>
 *   exp(y)   = (e^−1 · Σ_{i=0}^{10} u^i / i!)^16,   u = y / 16 + 1 ∈ [−1, 1],  y ∈ [−32, 0]
 *   expm1(y) = q_6,  q_0 = Σ_{i=1}^{9} v^i / i!,  q_{k+1} = q_k (2 + q_k) = (1 + q_k)² − 1,  v = y / 64 ∈ [−½, ½]
 * </pre>
 * The polynomial remainders are below 7e−8 (e / 11!) and 3e−10 (½^10 / 10!) relative. Squaring doubles a
 * relative error: exp is within 6e−6 of the true value over [−32, 0]; expm1 keeps q rather than 1 + q, so
 * that near 0, where tanh and sigmoid need it, it does not cancel (measured on dense grids: within 6.4e−7
 * for |y| &lt; 1, 4.8e−6 over [−32, 32]). Then
 * <pre>
 *   sigmoid(x) = 1 / (1 + e^−x) = 1 / (2 + expm1(−x))          tanh(x) = (1 − e^−2x) / (1 + e^−2x) = −q / (2 + q),  q = expm1(−2x)
 * </pre>
 * with x clamped to [−32, 32] and [−16, 16] (sigmoid(−32) ≈ 1.3e−14, 1 − tanh(16) ≈ 2.5e−14): sigmoid within
 * 4.8e−6 relative (1.9e−7 absolute), tanh within 3.9e−7 relative (2.9e−7 absolute), against float's own
 * rounding of 6e−8. C2 compiles such a loop to SIMD code only while it reads and writes a single
 * array (in place); a loop that adds two arrays at different offsets inside the same body runs scalar, so the
 * callers add first, in a loop of its own.
 */
public final class SimdMath {

    /** exp's lower clamp: exp(−32) ≈ 1.3e−14. */
    public static final float EXP_FLOOR = -32f;

    private static final float INV_E = (float) Math.exp(-1);

    /** {@link #expSum}'s terms summed in float per block (eight chains of 64), blocks in double. */
    private static final int SUM_BLOCK = 512;

    private SimdMath() {
    }

    /**
     * max_j x_j over the first {@code n} values, NaN values skipped (−∞ when there are no others). A compare
     * and branch per value, cheaper than {@code Math.max} with its NaN and −0 rules (neither is vectorised).
     */
    public static float max(float[] x, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            if (x[j] > m) {
                m = x[j];
            }
        }
        return m;
    }

    /**
     * Σ_j exp(x_j − max) over the first {@code n} values, with out_j = exp(x_j − max) ({@link #expNonPositive}):
     * the sum of a softmax's or log-sum-exp's terms. The terms are summed in float within blocks of 512 (eight
     * chains of 64: at most 64 roundings of 6e−8 each), the blocks in double, so the sum is within 1e−6 of the
     * exact one, at a fraction of the cost of summing in double.
     *
     * @param max max_j x_j ({@link #max}), so that every term is in (0, 1]
     * @param out at least {@code n} floats, overwritten (may be {@code x} itself)
     */
    public static double expSum(float[] x, int n, float max, float[] out) {
        for (int j = 0; j < n; j++) {
            out[j] = expNonPositive(x[j] - max);
        }
        double sum = 0;
        int j = 0;
        for (; j + SUM_BLOCK <= n; j += SUM_BLOCK) {              // eight float chains per block: no loop-carried
            float s0 = 0;                                          // latency on a single sum, no float → double
            float s1 = 0;                                          // conversion per term
            float s2 = 0;
            float s3 = 0;
            float s4 = 0;
            float s5 = 0;
            float s6 = 0;
            float s7 = 0;
            for (int b = j; b < j + SUM_BLOCK; b += 8) {
                s0 += out[b];
                s1 += out[b + 1];
                s2 += out[b + 2];
                s3 += out[b + 3];
                s4 += out[b + 4];
                s5 += out[b + 5];
                s6 += out[b + 6];
                s7 += out[b + 7];
            }
            sum += ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        }
        for (; j < n; j++) {
            sum += out[j];
        }
        return sum;
    }

    /** exp(y) for y ≤ 0, y below {@link #EXP_FLOOR} counting as that; NaN stays NaN. */
    public static float expNonPositive(float y) {
        float u = Math.max(y, EXP_FLOOR) * 0.0625f + 1f;
        float p = 1f + u * (1f + u * (1f / 2 + u * (1f / 6 + u * (1f / 24 + u * (1f / 120 + u * (1f / 720
                + u * (1f / 5040 + u * (1f / 40320 + u * (1f / 362880 + u * (1f / 3628800))))))))));
        p *= INV_E;
        p *= p;
        p *= p;
        p *= p;
        return p * p;
    }

    /** exp(y) − 1 for y clamped to [−32, 32]. */
    static float expm1(float y) {
        float v = Math.min(Math.max(y, -32f), 32f) * 0.015625f;
        float q = v * (1f + v * (1f / 2 + v * (1f / 6 + v * (1f / 24 + v * (1f / 120 + v * (1f / 720
                + v * (1f / 5040 + v * (1f / 40320 + v * (1f / 362880)))))))));
        q *= 2f + q;
        q *= 2f + q;
        q *= 2f + q;
        q *= 2f + q;
        q *= 2f + q;
        return q * (2f + q);
    }

    /** The logistic sigmoid 1 / (1 + e^−x). */
    public static float sigmoid(float x) {
        return 1f / (2f + expm1(-x));
    }

    /** The hyperbolic tangent. */
    public static float tanh(float x) {
        float q = expm1(-2f * x);
        return -q / (2f + q);
    }

    /** a[from + j] = sigmoid(a[from + j]) for j &lt; n. */
    public static void sigmoidInPlace(float[] a, int from, int n) {
        for (int j = from; j < from + n; j++) {
            a[j] = sigmoid(a[j]);
        }
    }

    /**
     * tanh of every element of {@code a}, in place, which it returns: through {@link #tanhInPlace(float[], int, int)}
     * for a dense row-major float array (a copy into a Java array and back), else ND4J's {@code Transforms.tanh}.
     */
    public static INDArray tanhInPlace(INDArray a) {
        if (a.dataType() != DataType.FLOAT || !DirectBuffers.denseRowMajor(a) || a.length() > Integer.MAX_VALUE) {
            return Transforms.tanh(a, false);
        }
        float[] values = new float[(int) a.length()];
        FloatBuffer memory = DirectBuffers.floats(a);
        memory.get(0, values);
        tanhInPlace(values, 0, values.length);
        memory.put(0, values);
        return a;
    }

    /** a[from + j] = tanh(a[from + j]) for j &lt; n. */
    public static void tanhInPlace(float[] a, int from, int n) {
        for (int j = from; j < from + n; j++) {
            a[j] = tanh(a[j]);
        }
    }
}
