package org.attentionzoo.optim;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * The learning-rate schedule of Vaswani et al. 2017 (section 5.3), which DL4J does not have: a linear
 * warm-up followed by decay with the inverse square root of the step,
 * <pre>
 *   lr(step) = factor · d_model^-0.5 · min(step^-0.5, step · warmup^-1.5),   step = 1, 2, ...
 * </pre>
 * peaking at step = warmup with factor · (d_model · warmup)^-0.5. DL4J counts iterations from 0, so
 * step = iteration + 1.
 */
public final class NoamSchedule implements ISchedule {

    private final double factor;
    private final int modelSize;
    private final int warmup;

    public NoamSchedule(@JsonProperty("factor") double factor, @JsonProperty("modelSize") int modelSize,
                        @JsonProperty("warmup") int warmup) {
        if (factor <= 0 || modelSize <= 0 || warmup <= 0) {
            throw new IllegalArgumentException("Noam schedule needs factor, modelSize and warmup > 0; got "
                    + factor + ", " + modelSize + ", " + warmup);
        }
        this.factor = factor;
        this.modelSize = modelSize;
        this.warmup = warmup;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double step = iteration + 1.0;
        return factor * Math.pow(modelSize, -0.5) * Math.min(Math.pow(step, -0.5), step * Math.pow(warmup, -1.5));
    }

    @Override
    public ISchedule clone() {
        return new NoamSchedule(factor, modelSize, warmup);
    }

    public double getFactor() { return factor; }
    public int getModelSize() { return modelSize; }
    public int getWarmup() { return warmup; }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoamSchedule n && n.factor == factor && n.modelSize == modelSize && n.warmup == warmup;
    }

    @Override
    public int hashCode() {
        return Objects.hash(factor, modelSize, warmup);
    }

    @Override
    public String toString() {
        return "NoamSchedule(factor=" + factor + ", d_model=" + modelSize + ", warmup=" + warmup + ")";
    }
}
