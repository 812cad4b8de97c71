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
public abstract sealed class NumericBuffer {

    /** The memory of {@code a}, a dense row-major float or double array. */
    public static NumericBuffer of(INDArray a) {
        if (!DirectBuffers.denseRowMajor(a)) {
            throw new IllegalArgumentException("a dense row-major array is needed; got shape "
                    + java.util.Arrays.toString(a.shape()) + ", order " + a.ordering());
        }
        if (a.dataType() == DataType.FLOAT) {
            return new Floats(DirectBuffers.floats(a));
        }
        if (a.dataType() == DataType.DOUBLE) {
            return new Doubles(DirectBuffers.doubles(a));
        }
        throw new IllegalArgumentException("float or double arrays only; got " + a.dataType());
    }

    public abstract double get(int i);

    public abstract void set(int i, double value);

    private static final class Floats extends NumericBuffer {
        private final FloatBuffer data;

        Floats(FloatBuffer data) {
            this.data = data;
        }

        @Override
        public double get(int i) {
            return data.get(i);
        }

        @Override
        public void set(int i, double value) {
            data.put(i, (float) value);
        }
    }

    private static final class Doubles extends NumericBuffer {
        private final DoubleBuffer data;

        Doubles(DoubleBuffer data) {
            this.data = data;
        }

        @Override
        public double get(int i) {
            return data.get(i);
        }

        @Override
        public void set(int i, double value) {
            data.put(i, value);
        }
    }
}
