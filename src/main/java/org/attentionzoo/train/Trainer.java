package org.attentionzoo.train;

import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.TeacherForcingIterator;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.TiedEmbeddings;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.optim.GlobalNormClipping;
import org.attentionzoo.util.Threads;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Teacher-forced training of any zoo model for a budget of wall-clock minutes, epochs or steps,
 * whichever ends first. Knows nothing of the model family: it feeds the graph's two inputs and one
 * output from a {@link MultiDataSetIterator} and reports the loss per target token.
 *
 * <pre>{@code
 * TrainingSummary s = Trainer.builder().model(model).data(batches).maxMinutes(2).build().train();
 * }</pre>
 *
 * <p>With a dev set and {@code evalEvery}, the model is scored every so many steps and at the end
 * (greedy decoding, BLEU and chrF; ties in BLEU go to the higher chrF) and training stops early after
 * {@code patience} evaluations without a better score.
 *
 * <p>With an output folder ({@code out}, see {@link RunFolder} for its files) the run checkpoints to
 * {@code last.zip} every {@code checkpointEvery} steps, keeps the best-scoring model in
 * {@code best.zip}, appends to {@code training.csv}, draws {@code training.png}, and at the end
 * writes {@code model.zip}: the best model, or the last one without a dev set. With {@code keepCheckpoints}
 * n > 0 it also keeps the parameters of the last n checkpoints (and of the final step) as
 * {@code ckpt-STEP.zip}, for {@link CheckpointAverage}. Started again on the
 * same folder, it resumes from {@code last.zip} and follows the very path an uninterrupted run would
 * have taken: parameters, Adam's moments and iteration count come from the checkpoint, the data
 * iterator is moved to the next batch of the same epoch shuffle ({@link TeacherForcingIterator#seek}),
 * and ND4J's random generator (dropout) is seeded from the card's seed and the step number before
 * every update. Budgets count the whole run, all sessions together.
 *
 * <p>With a card's {@code maxGradNorm} c > 0, every update's gradient is first scaled to global norm at
 * most c ({@link GlobalNormClipping}, added to the graph's listeners for the run and removed after it).
 * With tied embeddings ({@link TiedEmbeddings}) the tie's listener comes first, so clipping and Adam see the
 * tied matrix's summed gradient once.
 *
 * <p>Each batch's gradient is computed in {@code workers} shards of its sentences side by side
 * ({@link DataParallelGraph}; by default one per core at one ND4J thread per operation), then one update.
 *
 * <p>Without an output folder nothing is written and {@code train()} leaves the last state in the model.
 */
public final class Trainer {

    private final TranslationModel model;
    private final MultiDataSetIterator data;
    private final double maxMinutes;
    private final int maxEpochs;
    private final long maxSteps;
    private final int logEvery;
    private final Progress progress;
    private final DevSet dev;
    private final int evalEvery;
    private final int patience;
    private final int checkpointEvery;
    private final int keepCheckpoints;
    private final Path out;
    private final int workers;
    private final Map<String, String> runIdentity;
    private final Map<String, String> provenance;
    /** The step stored in last.zip (the last good checkpoint) during {@link #train}. */
    private long lastCheckpointStep;

    /** A loss per target token above this many times ln V (a uniform guess's) means training diverged. */
    static final double EXPLODED_LOSS_FACTOR = 100;
    /** A parameter of larger magnitude means training diverged. */
    static final double EXPLODED_PARAMETER = 1e8;

    private Trainer(Builder b) {
        this.model = Objects.requireNonNull(b.model, "model");
        this.data = Objects.requireNonNull(b.data, "data");
        this.maxMinutes = b.maxMinutes;
        this.maxEpochs = b.maxEpochs;
        this.maxSteps = b.maxSteps;
        this.logEvery = b.logEvery;
        this.progress = b.progress != null ? b.progress
                : b.log != null ? new LineProgress(b.log, b.logEvery) : Progress.silent();
        this.dev = b.dev == null ? null : new DevSet(b.dev, b.devMax);
        this.evalEvery = b.evalEvery;
        this.patience = b.patience;
        this.checkpointEvery = b.checkpointEvery > 0 ? b.checkpointEvery : b.evalEvery > 0 ? b.evalEvery : 1000;
        this.keepCheckpoints = b.keepCheckpoints;
        this.out = b.out;
        this.workers = b.workers > 0 ? b.workers : Threads.workers();
        this.runIdentity = Map.copyOf(b.runIdentity);
        this.provenance = new LinkedHashMap<>(b.provenance);
    }

    /** The threads that share each batch's gradient: the builder's count, else {@link Threads#workers()}. */
    public int workers() {
        return workers;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains until the first budget runs out (or early stopping); returns what was done.
     *
     * @throws UncheckedIOException  when the output folder cannot be used (a corrupt checkpoint, a run
     *                               of another model) or written; the message names the file
     * @throws TrainingDivergedException when a step diverges ({@link #divergence}): nothing more is
     *                                   saved, so {@code last.zip} keeps the last good checkpoint
     * @throws IllegalStateException     when the data yields no batches
     */
    public TrainingSummary train() {
        try {
            if (out == null) {
                return run(null);
            }
            try (RunFolder folder = RunFolder.open(out)) {
                return run(folder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } finally {
            progress.done();
        }
    }

    private TrainingSummary run(RunFolder folder) throws IOException {
        ComputationGraph graph = model.graph();
        List<TrainingListener> listeners = new ArrayList<>(graph.getListeners());
        ModelCard.Tie tie = model.card().tieEmbeddings();
        if (tie != ModelCard.Tie.NONE) {
            // First: the tied gradient is summed before clipping sees it, and the copies are equal before others read them.
            TiedEmbeddings.sync(graph, tie);
            List<TrainingListener> tied = new ArrayList<>();
            tied.add(TiedEmbeddings.listener(tie));
            tied.addAll(listeners);
            graph.setListeners(tied);
        }
        if (model.card().maxGradNorm() > 0) {
            graph.addListeners(new GlobalNormClipping(model.card().maxGradNorm()));
        }
        ComputationGraph trained = workers > 1 ? DataParallelGraph.of(graph, workers) : graph;
        try {
            return run(folder, trained);
        } finally {
            graph.setListeners(listeners);
        }
    }

    /** @param graph the model's graph, or a {@link DataParallelGraph} that trains it */
    private TrainingSummary run(RunFolder folder, ComputationGraph graph) throws IOException {
        TrainingState st = folder == null ? null : folder.resume(model, runIdentity);
        boolean resumed = st != null;
        if (resumed) {
            position(st);
            progress.message("resuming from " + folder.last() + " at " + st);
        } else {
            st = new TrainingState();
            data.reset();
            st.iteratorEpoch = iteratorEpoch();
            if (folder != null) {
                folder.save(folder.last(), model, st, runIdentity);
            }
        }
        long resumedAt = resumed ? st.step : 0;
        lastCheckpointStep = st.step;
        TrainingLog log = folder == null ? null : TrainingLog.open(folder.csv(), st.step);
        double secondsBefore = st.seconds;
        double budget = maxMinutes > 0 ? maxMinutes * 60 : Double.POSITIVE_INFINITY;
        long start = System.nanoTime();
        double startFraction = fraction(st);
        long sessionTokens = 0;
        double windowLoss = 0;
        long windowTokens = 0;
        long windowStart = start;
        double lastBleu = st.bestBleu;
        while (!st.stoppedEarly) {
            if (!data.hasNext()) {
                st.epochs++;
                st.batchInEpoch = 0;
                if (maxEpochs > 0 && st.epochs >= maxEpochs) {
                    break;
                }
                data.reset();
                st.iteratorEpoch = iteratorEpoch();
                if (!data.hasNext()) {
                    throw new IllegalStateException("the training data yields no batches");
                }
            }
            st.seconds = secondsBefore + (System.nanoTime() - start) / 1e9;
            if (st.seconds >= budget || (maxSteps > 0 && st.step >= maxSteps)) {
                break;
            }
            MultiDataSet batch = data.next();
            Nd4j.getRandom().setSeed(stepSeed(st.step));
            graph.fit(batch);
            long batchTokens = (long) batch.getLabelsMaskArray(0).sumNumber().doubleValue();
            // DL4J's score is the masked loss summed over time, averaged over the minibatch.
            double loss = graph.score() * batch.getLabels(0).size(0) / batchTokens;
            String diverged = divergence(loss);
            if (diverged != null) {
                throw new TrainingDivergedException(st.step + 1, diverged,
                        folder == null ? null : folder.last(), lastCheckpointStep);
            }
            st.step++;
            st.batchInEpoch++;
            st.targetTokens += batchTokens;
            sessionTokens += batchTokens;
            windowLoss += loss * batchTokens;
            windowTokens += batchTokens;
            Evaluation score = dev != null && evalEvery > 0 && st.step % evalEvery == 0 ? evaluate(st, folder) : null;
            if (score != null) {
                lastBleu = score.score().bleu();
            }
            long now = System.nanoTime();
            st.seconds = secondsBefore + (now - start) / 1e9;
            if (score != null || (logEvery > 0 && st.step % logEvery == 0)) {
                st.lastLoss = windowLoss / windowTokens;
                row(log, st, windowTokens / ((now - windowStart) / 1e9), score);
                windowLoss = 0;
                windowTokens = 0;
                windowStart = now;
            }
            double f = fraction(st);
            double session = (now - start) / 1e9;
            double eta = f > startFraction ? session * (1 - f) / (f - startFraction) : Double.NaN;
            progress.step(new ProgressEvent(st.step, st.epochs + 1, windowTokens > 0 ? windowLoss / windowTokens
                    : st.lastLoss, sessionTokens / session, lastBleu, st.bestBleu, f, st.seconds, eta));
            if (folder != null && (st.step % checkpointEvery == 0 || st.stoppedEarly)) {
                folder.save(folder.last(), model, st, runIdentity);
                lastCheckpointStep = st.step;
                folder.keepCheckpoint(model, st.step, keepCheckpoints);
                TrainingChart.write(log.rows(), folder.chart());
            }
        }
        long now = System.nanoTime();
        st.seconds = secondsBefore + (now - start) / 1e9;
        Evaluation last = dev != null && st.step > st.lastEvalStep ? evaluate(st, folder) : null;
        if (windowTokens > 0 || last != null) {
            if (windowTokens > 0) {
                st.lastLoss = windowLoss / windowTokens;
            }
            row(log, st, windowTokens > 0 ? windowTokens / ((now - windowStart) / 1e9) : Double.NaN, last,
                    windowTokens > 0);
        }
        TrainingSummary summary = new TrainingSummary(st.step, st.epochs, st.seconds, st.targetTokens, st.lastLoss,
                st.bestBleu, st.bestStep, st.stoppedEarly, resumedAt);
        model.putProvenance(Map.of("trainingSteps", Long.toString(st.step)));
        if (folder != null) {
            folder.save(folder.last(), model, st, runIdentity);
            if (st.step > 0) {
                folder.keepCheckpoint(model, st.step, keepCheckpoints);
            }
            TrainingChart.write(log.rows(), folder.chart());
            TranslationModel kept = dev != null && Files.exists(folder.best()) ? ModelArchive.load(folder.best()) : model;
            // model.zip's provenance is this run's alone: a parent's entries (say its devBleu) must not linger.
            Map<String, String> p = new LinkedHashMap<>(provenance);
            p.putAll(Provenance.training(summary));
            ModelArchive.save(new TranslationModel(kept.card(), kept.graph(), kept.sourceVocab(), kept.targetVocab(),
                    kept.sourceTokenizer(), kept.targetTokenizer(), p, kept.masksPlaceholders()), folder.model());
        }
        return summary;
    }

    /** A dev score and the wall-clock seconds it took. */
    private record Evaluation(DevSet.Score score, double seconds) {
    }

    /**
     * Scores the dev set; keeps the model in best.zip when it is the best so far (higher BLEU, or equal
     * BLEU and higher chrF: on short sentences BLEU is often 0 for a long time); counts patience.
     */
    private Evaluation evaluate(TrainingState st, RunFolder folder) throws IOException {
        long started = System.nanoTime();
        DevSet.Score score = dev.score(model);
        double seconds = (System.nanoTime() - started) / 1e9;
        st.lastEvalStep = st.step;
        if (Double.isNaN(st.bestBleu) || score.bleu() > st.bestBleu
                || (score.bleu() == st.bestBleu && score.chrf() > st.bestChrf)) {
            st.bestBleu = score.bleu();
            st.bestChrf = score.chrf();
            st.bestStep = st.step;
            st.evalsWithoutImprovement = 0;
            if (folder != null) {
                folder.save(folder.best(), model, st, runIdentity);
            }
        } else {
            st.evalsWithoutImprovement++;
        }
        progress.message(String.format(Locale.ROOT, "step %d: dev BLEU %.2f, chrF %.2f (%d sentences in %.1f s)%s",
                st.step, score.bleu(), score.chrf(), dev.size(), seconds, st.bestStep == st.step ? ", best so far"
                        : ", best " + String.format(Locale.ROOT, "%.2f", st.bestBleu) + " at step " + st.bestStep));
        if (patience > 0 && st.evalsWithoutImprovement >= patience) {
            st.stoppedEarly = true;
            progress.message("stopping early: no better dev BLEU in " + patience + " evaluations");
        }
        return new Evaluation(score, seconds);
    }

    private void row(TrainingLog log, TrainingState st, double tokensPerSecond, Evaluation eval) throws IOException {
        row(log, st, tokensPerSecond, eval, true);
    }

    private void row(TrainingLog log, TrainingState st, double tokensPerSecond, Evaluation eval, boolean withLoss)
            throws IOException {
        if (log != null) {
            log.append(new LogRow(st.step, st.epochs + (st.batchInEpoch > 0 ? 1 : 0), st.seconds,
                    withLoss ? st.lastLoss : Double.NaN, tokensPerSecond,
                    eval == null ? Double.NaN : eval.score().bleu(), eval == null ? Double.NaN : eval.score().chrf(),
                    learningRate(), eval == null ? Double.NaN : eval.seconds()));
        }
    }

    /** The optimiser's learning rate at the current iteration (it varies under the Noam schedule). */
    private double learningRate() {
        var layer = model.graph().getLayer(org.attentionzoo.models.GraphNames.OUTPUT).conf().getLayer();
        if (layer instanceof org.deeplearning4j.nn.conf.layers.BaseLayer base && base.getIUpdater() != null) {
            return base.getIUpdater().getLearningRate(model.graph().getIterationCount(), model.graph().getEpochCount());
        }
        return model.card().learningRate();
    }

    /**
     * Why the step just taken shows training has diverged, or null when it has not: a loss per target
     * token that is not finite or above {@link #EXPLODED_LOSS_FACTOR} ln V (a uniform guess over the V
     * target tokens costs ln V, and training does not come back from a hundred times that), or a
     * parameter that is not finite or above {@link #EXPLODED_PARAMETER} in magnitude (where a huge
     * learning rate puts them after one update, before the loss shows it).
     */
    private String divergence(double loss) {
        if (!Double.isFinite(loss)) {
            return "the loss is " + loss;
        }
        double exploded = EXPLODED_LOSS_FACTOR * Math.log(Math.max(2, model.targetVocab().size()));
        if (loss > exploded) {
            return String.format(Locale.ROOT, "the loss is %.4g per target token, above %.0f ln V = %.1f",
                    loss, EXPLODED_LOSS_FACTOR, exploded);
        }
        INDArray params = model.graph().params();
        double sum = params.sumNumber().doubleValue();
        double largest = params.amaxNumber().doubleValue();
        if (!Double.isFinite(sum) || !Double.isFinite(largest)) {
            return "a parameter is not a finite number";
        }
        if (largest > EXPLODED_PARAMETER) {
            return String.format(Locale.ROOT, "a parameter has grown to %.4g", largest);
        }
        return null;
    }

    /** Moves the data to where a resumed state left it. */
    private void position(TrainingState st) {
        if (data instanceof TeacherForcingIterator tfi && st.iteratorEpoch >= 0) {
            tfi.seek(st.iteratorEpoch, st.batchInEpoch);
        } else {
            // Another iterator: assumed to replay its epoch after reset(); skip what was trained on.
            data.reset();
            for (int i = 0; i < st.batchInEpoch && data.hasNext(); i++) {
                data.next();
            }
        }
    }

    private int iteratorEpoch() {
        return data instanceof TeacherForcingIterator tfi ? tfi.epoch() : -1;
    }

    /** The seed of ND4J's generator for update {@code step + 1}: the same in every session. */
    private long stepSeed(long step) {
        return model.card().seed() * 1_000_003L + step;
    }

    /** Share of the budget used: the largest of steps, minutes and (when known) epochs. */
    private double fraction(TrainingState st) {
        double f = 0;
        if (maxSteps > 0) {
            f = Math.max(f, (double) st.step / maxSteps);
        }
        if (maxMinutes > 0) {
            f = Math.max(f, st.seconds / (maxMinutes * 60));
        }
        if (maxEpochs > 0 && data instanceof TeacherForcingIterator tfi) {
            f = Math.max(f, (st.epochs + (double) st.batchInEpoch / tfi.batchesPerEpoch()) / maxEpochs);
        }
        return Math.min(1, f);
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
        private Progress progress;
        private List<SentencePair> dev;
        private int devMax;
        private int evalEvery;
        private int patience;
        private int checkpointEvery;
        private int keepCheckpoints;
        private Path out;
        private int workers;
        private Map<String, String> runIdentity = Map.of();
        private Map<String, String> provenance = Map.of();

        public Builder model(TranslationModel v) { model = v; return this; }
        public Builder data(MultiDataSetIterator v) { data = v; return this; }
        /** Wall-clock budget in minutes, all sessions of a resumed run together; 0 for none. */
        public Builder maxMinutes(double v) { maxMinutes = v; return this; }
        /**
         * Threads that compute each minibatch's gradient, one shard of its sentences each
         * ({@link DataParallelGraph}); 1 trains the graph itself; 0 (the default) for
         * {@link Threads#workers()}.
         */
        public Builder workers(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("workers must be 0 (automatic) or more, got " + v);
            }
            workers = v;
            return this;
        }
        /** Number of passes over the data; 0 for none. */
        public Builder maxEpochs(int v) { maxEpochs = v; return this; }
        /** Number of updates, all sessions of a resumed run together; 0 for none. */
        public Builder maxSteps(long v) { maxSteps = v; return this; }
        /** A progress line, and a row of training.csv, every n steps. */
        public Builder logEvery(int v) { logEvery = v; return this; }
        /** Where progress lines go; null (the default) for silence. Ignored when {@link #progress} is set. */
        public Builder log(PrintStream v) { log = v; return this; }
        /** How progress is shown, for example {@link Progress#forConsole}. */
        public Builder progress(Progress v) { progress = v; return this; }
        /** Dev pairs to score every {@code evalEvery} steps and at the end. */
        public Builder dev(List<SentencePair> v) { dev = v; return this; }
        /** Score only the first n dev pairs; 0 (the default) for all. */
        public Builder devMax(int v) { devMax = v; return this; }
        /** Steps between dev evaluations; 0 (the default) for only one at the end. */
        public Builder evalEvery(int v) { evalEvery = v; return this; }
        /** Stop after this many dev evaluations without a better BLEU; 0 (the default) never stops early. */
        public Builder patience(int v) { patience = v; return this; }
        /** Steps between checkpoints to last.zip; default {@code evalEvery}, or 1000 without it. */
        public Builder checkpointEvery(int v) { checkpointEvery = v; return this; }
        /**
         * Keep the parameters of the last n checkpoints (every {@code checkpointEvery} steps, and the final
         * step) as {@code ckpt-STEP.zip} in the output folder, deleting older ones; 0 (the default) keeps none.
         */
        public Builder keepCheckpoints(int v) { keepCheckpoints = v; return this; }
        /** Output folder for checkpoints, the log, the chart and model.zip; null (the default) writes nothing. */
        public Builder out(Path v) { out = v; return this; }
        /**
         * What must match for a run in {@code out} to be resumed (for example the corpus hash, seed and
         * batch size); stored in every checkpoint. The card and vocabularies are always checked.
         */
        public Builder runIdentity(Map<String, String> v) { runIdentity = Map.copyOf(v); return this; }
        /** Provenance entries for model.zip (such as {@link Provenance#corpus}); training entries are added. */
        public Builder provenance(Map<String, String> v) { provenance = new LinkedHashMap<>(v); return this; }

        public Trainer build() {
            if (maxMinutes <= 0 && maxEpochs <= 0 && maxSteps <= 0) {
                throw new IllegalArgumentException("set a training budget: maxMinutes, maxEpochs or maxSteps");
            }
            if (evalEvery < 0 || patience < 0 || devMax < 0 || checkpointEvery < 0 || keepCheckpoints < 0) {
                throw new IllegalArgumentException("evalEvery, patience, devMax, checkpointEvery and keepCheckpoints"
                        + " must not be negative");
            }
            return new Trainer(this);
        }
    }
}
