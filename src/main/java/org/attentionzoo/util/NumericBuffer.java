package org.attentionzoo.util;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * A float or double array's memory read and written as doubles ({@link DirectBuffers} underneath: no copy), so
 * that one loop serves training in float and gradient checks in double. Element i is the array's i-th in
 * c order; the array must be {@link DirectBuffers#denseRowMajor}.
 */
public final class NumericBuffer {

    /** Exactly one of the two is set. */
    private final FloatBuffer floats;
    private final DoubleBuffer doubles;

    private NumericBuffer(FloatBuffer floats, DoubleBuffer doubles) {
        this.floats = floats;
        this.doubles = doubles;
    }

    /** The memory of {@code a}, a dense row-major float or double array. */
    public static NumericBuffer of(INDArray a) {
        if (!DirectBuffers.denseRowMajor(a)) {
            throw new IllegalArgumentException("a dense row-major array is needed; got shape "
                    + java.util.Arrays.toString(a.shape()) + ", order " + a.ordering());
        }
        if (a.dataType() == DataType.FLOAT) {
            return new NumericBuffer(DirectBuffers.floats(a), null);
        }
        if (a.dataType() == DataType.DOUBLE) {
            return new NumericBuffer(null, DirectBuffers.doubles(a));
        }
        throw new IllegalArgumentException("float or double arrays only; got " + a.dataType());
    }

    /** Element i. */
    public double get(int i) {
        return floats != null ? floats.get(i) : doubles.get(i);
    }

    /** Sets element i (rounded to float in a float array). */
    public void set(int i, double value) {
        if (floats != null) {
            floats.put(i, (float) value);
        } else {
            doubles.put(i, value);
        }
    }
}
