package org.attentionzoo.optim;

import org.attentionzoo.util.DirectBuffers;
import org.attentionzoo.util.Threads;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba 2015) with exactly DL4J's settings, state layout and arithmetic, computed by plain loops
 * over slices of the parameters on {@link Threads#workers()} threads instead of by libnd4j's
 * {@code adam_updater} op, which runs on one thread and is a sizeable share of a training step at a few million
 * parameters. With t = iteration + 1 and learning rate α (or its schedule's
 * value):
 * <pre>
 *   m ← β₁ m + (1 − β₁) g
 *   v ← β₂ v + (1 − β₂) g²
 *   α_t = α √(1 − β₂ᵗ) / (1 − β₁ᵗ)
 *   update = α_t m / (√v + ε)            (written over g; DL4J then subtracts it from the parameters)
 * </pre>
 * A subclass of DL4J's {@link Adam} configuration: same fields, JSON, schedules and state ([m | v] per
 * updater block, so a checkpoint's optimiser state reads the same either way). Arrays that are not contiguous,
 * or of a type other than float and double, go to DL4J's op.
 */
public class ParallelAdam extends Adam {

    /** Adam with DL4J's defaults (learning rate 1e-3, β₁ 0.9, β₂ 0.999, ε 1e-8). */
    public ParallelAdam(double learningRate) {
        this(learningRate, null, DEFAULT_ADAM_BETA1_MEAN_DECAY, DEFAULT_ADAM_BETA2_VAR_DECAY, DEFAULT_ADAM_EPSILON);
    }

    @JsonCreator
    public ParallelAdam(@JsonProperty("learningRate") double learningRate,
                        @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
                        @JsonProperty("beta1") double beta1,
                        @JsonProperty("beta2") double beta2,
                        @JsonProperty("epsilon") double epsilon) {
        super(learningRate, beta1, beta2, epsilon);
        setLearningRateSchedule(learningRateSchedule);
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        Updater u = new Updater(this);
        INDArray flat = viewArray.reshape(viewArray.length());
        long[] gradientShape = flat.shape().clone();
        gradientShape[0] /= 2;
        u.setStateViewArray(flat, gradientShape, flat.ordering(), initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        Updater u = new Updater(this);
        u.setState(updaterState, initializeStateArrays);
        return u;
    }

    @Override
    public ParallelAdam clone() {
        return new ParallelAdam(getLearningRate(), getLearningRateSchedule() == null ? null
                : getLearningRateSchedule().clone(), getBeta1(), getBeta2(), getEpsilon());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParallelAdam && super.equals(o);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + 1;
    }

    @Override
    public String toString() {
        return "ParallelAdam(learningRate=" + getLearningRate() + ", learningRateSchedule=" + getLearningRateSchedule()
                + ", beta1=" + getBeta1() + ", beta2=" + getBeta2() + ", epsilon=" + getEpsilon() + ")";
    }

    /** DL4J's Adam updater (state handling included) with the arithmetic above. */
    static final class Updater extends AdamUpdater {

        /** Below this many parameters a second thread costs more than it saves. */
        private static final int PER_THREAD = 1 << 16;
        /** Elements per bulk copy of {@link #step(FloatBuffer, FloatBuffer, FloatBuffer, int, int, float, float, float, float)}. */
        private static final int CHUNK = 1 << 12;

        Updater(ParallelAdam config) {
            super(config);
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            INDArray m = getM();
            INDArray v = getV();
            if (m == null || v == null) {
                throw new IllegalStateException("Updater has not been initialized with view state");
            }
            DataType type = gradient.dataType();
            long n = gradient.length();
            if (!(type == DataType.FLOAT || type == DataType.DOUBLE) || m.dataType() != type || v.dataType() != type
                    || !contiguous(gradient, n) || !contiguous(m, n) || !contiguous(v, n) || n > Integer.MAX_VALUE) {
                super.applyUpdater(gradient, iteration, epoch);
                return;
            }
            Adam c = getConfig();
            double b1 = c.getBeta1();
            double b2 = c.getBeta2();
            double alphaT = c.getLearningRate(iteration, epoch) * Math.sqrt(1 - Math.pow(b2, iteration + 1))
                    / (1 - Math.pow(b1, iteration + 1));
            double eps = c.getEpsilon();
            int k = (int) Math.max(1, Math.min(Threads.workers(), n / PER_THREAD));
            if (type == DataType.FLOAT) {
                FloatBuffer g = DirectBuffers.floats(gradient);
                FloatBuffer mb = DirectBuffers.floats(m);
                FloatBuffer vb = DirectBuffers.floats(v);
                Threads.parallel(k, s -> step(g, mb, vb, (int) Threads.shardStart(n, s, k), (int) Threads.shardStart(n, s + 1, k),
                        (float) b1, (float) b2, (float) alphaT, (float) eps));
            } else {
                DoubleBuffer g = DirectBuffers.doubles(gradient);
                DoubleBuffer mb = DirectBuffers.doubles(m);
                DoubleBuffer vb = DirectBuffers.doubles(v);
                Threads.parallel(k, s -> step(g, mb, vb, (int) Threads.shardStart(n, s, k), (int) Threads.shardStart(n, s + 1, k),
                        b1, b2, alphaT, eps));
            }
        }

        /**
         * Elements [from, to) in chunks copied into Java arrays: the loop over arrays compiles to vector instructions,
         * where element-by-element buffer reads do not; each element's arithmetic is the same expression, so the
         * results are the same bits.
         */
        private static void step(FloatBuffer g, FloatBuffer m, FloatBuffer v, int from, int to, float b1, float b2,
                                 float alphaT, float eps) {
            float c1 = 1 - b1;
            float c2 = 1 - b2;
            int chunk = Math.min(CHUNK, Math.max(0, to - from));
            float[] gs = new float[chunk];
            float[] ms = new float[chunk];
            float[] vs = new float[chunk];
            for (int at = from; at < to; at += chunk) {
                int len = Math.min(chunk, to - at);
                g.get(at, gs, 0, len);
                m.get(at, ms, 0, len);
                v.get(at, vs, 0, len);
                for (int i = 0; i < len; i++) {
                    float gi = gs[i];
                    float mi = b1 * ms[i] + c1 * gi;
                    float vi = b2 * vs[i] + c2 * gi * gi;
                    ms[i] = mi;
                    vs[i] = vi;
                    gs[i] = alphaT * mi / ((float) Math.sqrt(vi) + eps);
                }
                g.put(at, gs, 0, len);
                m.put(at, ms, 0, len);
                v.put(at, vs, 0, len);
            }
        }

        private static void step(DoubleBuffer g, DoubleBuffer m, DoubleBuffer v, int from, int to, double b1,
                                 double b2, double alphaT, double eps) {
            double c1 = 1 - b1;
            double c2 = 1 - b2;
            for (int i = from; i < to; i++) {
                double gi = g.get(i);
                double mi = b1 * m.get(i) + c1 * gi;
                double vi = b2 * v.get(i) + c2 * gi * gi;
                m.put(i, mi);
                v.put(i, vi);
                g.put(i, alphaT * mi / (Math.sqrt(vi) + eps));
            }
        }

        private static boolean contiguous(INDArray a, long n) {
            return a.length() == n && DirectBuffers.contiguous(a);
        }
    }
}
