package org.attentionzoo.train;

import org.attentionzoo.models.TranslationModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;

/**
 * Teacher-forced training of any zoo model for a budget of wall-clock minutes, epochs or steps,
 * whichever ends first. Knows nothing of the model family: it feeds the graph's two inputs and one
 * output from a {@link MultiDataSetIterator} and reports the loss per target token.
 *
 * <pre>{@code
 * TrainingSummary s = Trainer.builder().model(model).data(batches).maxMinutes(2).build().train();
 * }</pre>
 */
public final class Trainer {

    private final TranslationModel model;
    private final MultiDataSetIterator data;
    private final double maxMinutes;
    private final int maxEpochs;
    private final long maxSteps;
    private final int logEvery;
    private final PrintStream log;

    private Trainer(Builder b) {
        this.model = Objects.requireNonNull(b.model, "model");
        this.data = Objects.requireNonNull(b.data, "data");
        this.maxMinutes = b.maxMinutes;
        this.maxEpochs = b.maxEpochs;
        this.maxSteps = b.maxSteps;
        this.logEvery = b.logEvery;
        this.log = b.log;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Trains until the first budget runs out; returns what was done. */
    public TrainingSummary train() {
        ComputationGraph graph = model.graph();
        long start = System.nanoTime();
        long deadline = maxMinutes > 0 ? start + (long) (maxMinutes * 60e9) : Long.MAX_VALUE;
        long steps = 0;
        long tokens = 0;
        int epochs = 0;
        double windowLoss = 0;
        long windowTokens = 0;
        double lastLoss = Double.NaN;
        long windowStart = start;
        outer:
        while (maxEpochs <= 0 || epochs < maxEpochs) {
            data.reset();
            if (!data.hasNext()) {
                throw new IllegalStateException("the training data yields no batches");
            }
            while (data.hasNext()) {
                if (System.nanoTime() >= deadline || (maxSteps > 0 && steps >= maxSteps)) {
                    break outer;
                }
                MultiDataSet batch = data.next();
                graph.fit(batch);
                long batchTokens = (long) batch.getLabelsMaskArray(0).sumNumber().doubleValue();
                // DL4J's score is the masked loss summed over time, averaged over the minibatch.
                double loss = graph.score() * batch.getLabels(0).size(0) / batchTokens;
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException("training diverged: loss is " + loss + " at step " + (steps + 1)
                            + "; lower the learning rate or enable gradient clipping in the model card");
                }
                steps++;
                tokens += batchTokens;
                windowLoss += loss * batchTokens;
                windowTokens += batchTokens;
                if (log != null && logEvery > 0 && steps % logEvery == 0) {
                    long now = System.nanoTime();
                    lastLoss = windowLoss / windowTokens;
                    log.printf(Locale.ROOT, "step %6d  epoch %3d  loss %.4f  %,.0f tok/s  %.0fs%n", steps, epochs + 1,
                            lastLoss, windowTokens / ((now - windowStart) / 1e9), (now - start) / 1e9);
                    windowLoss = 0;
                    windowTokens = 0;
                    windowStart = now;
                }
            }
            epochs++;
        }
        if (windowTokens > 0) {
            lastLoss = windowLoss / windowTokens;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        model.putProvenance(java.util.Map.of("trainingSteps", Long.toString(steps)));
        return new TrainingSummary(steps, epochs, seconds, tokens, lastLoss);
    }

    /** Settings of a {@link Trainer}; at least one budget must be set. */
    public static final class Builder {
        private TranslationModel model;
        private MultiDataSetIterator data;
        private double maxMinutes;
        private int maxEpochs;
        private long maxSteps;
        private int logEvery = 100;
        private PrintStream log;

        public Builder model(TranslationModel v) { model = v; return this; }
        public Builder data(MultiDataSetIterator v) { data = v; return this; }
        /** Wall-clock budget in minutes; 0 for none. */
        public Builder maxMinutes(double v) { maxMinutes = v; return this; }
        /** Number of passes over the data; 0 for none. */
        public Builder maxEpochs(int v) { maxEpochs = v; return this; }
        /** Number of updates; 0 for none. */
        public Builder maxSteps(long v) { maxSteps = v; return this; }
        /** Print a progress line every n steps to {@code log}. */
        public Builder logEvery(int v) { logEvery = v; return this; }
        /** Where progress lines go; null (the default) for silence. */
        public Builder log(PrintStream v) { log = v; return this; }

        public Trainer build() {
            if (maxMinutes <= 0 && maxEpochs <= 0 && maxSteps <= 0) {
                throw new IllegalArgumentException("set a training budget: maxMinutes, maxEpochs or maxSteps");
            }
            return new Trainer(this);
        }
    }
}
