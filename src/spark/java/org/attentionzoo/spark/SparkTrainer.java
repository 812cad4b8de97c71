package org.attentionzoo.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.TeacherForcingIterator;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.optim.GlobalNormClipping;
import org.attentionzoo.train.RunFolder;
import org.attentionzoo.train.TrainingData;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Synchronous data-parallel training on Spark by parameter averaging (McDonald et al. 2010; Zinkevich et al.
 * 2010; the scheme of DL4J's ParameterAveragingTrainingMaster). Each round:
 * <pre>
 *   broadcast θ, Adam's m and v, and the iteration count t
 *   on each partition p (a shard of the pairs): θ_p, m_p, v_p ← k Adam steps from (θ, m, v, t) on batches of p
 *   θ ← mean_p θ_p,   m ← mean_p m_p,   v ← mean_p v_p,   t ← t + k
 * </pre>
 * A round sees P·k·B pairs (P partitions, batches of B). With P = 1 it is the single-machine run. Averaging the
 * optimiser state with the parameters keeps Adam's moments consistent with the point it resumes from.
 *
 * <p>The executors get the model once (a broadcast model.zip; each JVM keeps replicas in
 * {@link ExecutorModels}, one per task running at once) and, each round, the parameters and optimiser state as
 * one broadcast of two float arrays; each task returns its arrays and the driver sums them with a tree reduction.
 * The model on the driver holds the averaged state after every round.
 *
 * <p>With an output folder the run writes what {@code train} writes there: {@code last.zip} (model, optimiser state
 * and training state: {@code step} counts the averaged updates, {@code spark.round} the rounds) after every
 * {@code checkpointEvery} rounds and at the end, and {@code model.zip}, the last model with its provenance. Run
 * again on the same folder it resumes after the last checkpointed round, with the rounds' data order it would have
 * had: each partition's batches are its shard's epochs of shuffled, length-bucketed batches (as {@code train}'s, seeded
 * by the seed and the partition), and round r starts at the shard's batch r·k. The tokenized shard stays on the
 * executor between rounds.
 */
public final class SparkTrainer {

    /** What a run did, this session and before (resumed runs count from the start). */
    public record Result(long rounds, long steps, long examples, double lastLoss, double seconds, long resumedAtRound) {
    }

    private final TranslationModel model;
    private final int batchSize;
    private final int maxLength;
    private final int stepsPerRound;
    private final long rounds;
    private final long seed;
    private final Path out;
    private final int checkpointEvery;
    private final PrintStream log;

    private SparkTrainer(Builder b) {
        this.model = Objects.requireNonNull(b.model, "model");
        this.batchSize = b.batchSize;
        this.maxLength = b.maxLength;
        this.stepsPerRound = b.stepsPerRound;
        this.rounds = b.rounds;
        this.seed = b.seed;
        this.out = b.out;
        this.checkpointEvery = b.checkpointEvery;
        this.log = b.log;
        if (batchSize < 1 || stepsPerRound < 1 || rounds < 1 || checkpointEvery < 1 || maxLength < 1) {
            throw new IllegalArgumentException("batch size, steps per round, rounds, max length and checkpoint "
                    + "interval must be positive");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Pairs as the {@code (source, target)} tuples {@link #train} takes (their origins are not kept). */
    public static List<Tuple2<String, String>> tuples(List<SentencePair> pairs) {
        return pairs.stream().map(p -> new Tuple2<>(p.source(), p.target())).toList();
    }

    /** One task's result, or the sum of several: parameters and optimiser state summed over {@code replicas}. */
    record Round(float[] params, float[] state, int replicas, long examples, double lossTokens, long tokens)
            implements Serializable {
        Round plus(Round o) {
            if (replicas == 0) {
                return o;
            }
            if (o.replicas == 0) {
                return this;
            }
            float[] p = params.clone();
            float[] s = state.clone();
            for (int i = 0; i < p.length; i++) {
                p[i] += o.params[i];
            }
            for (int i = 0; i < s.length; i++) {
                s[i] += o.state[i];
            }
            return new Round(p, s, replicas + o.replicas, examples + o.examples, lossTokens + o.lossTokens,
                    tokens + o.tokens);
        }
    }

    /**
     * Trains on {@code pairs} ({@code source, target}), one shard per partition, for the builder's rounds.
     *
     * @throws IOException naming the file when the output folder cannot be used or written
     */
    public Result train(JavaSparkContext sc, JavaRDD<Tuple2<String, String>> pairs) throws IOException {
        ComputationGraph graph = model.graph();
        long startRound = 0;
        long examples = 0;
        double secondsBefore = 0;
        Path last = out == null ? null : out.resolve("last.zip");
        if (last != null) {
            Files.createDirectories(out);
            if (Files.exists(last)) {
                Map<String, String> state = resume(last);
                startRound = Long.parseLong(state.get("spark.round"));
                examples = Long.parseLong(state.get("spark.examples"));
                secondsBefore = Double.parseDouble(state.get("seconds"));
                say("resuming from %s after round %d", last, startRound);
            }
        }
        // The replicas are made from the model as it is now (structure, vocabularies, optimiser configuration).
        Path shipping = Files.createTempFile("attention-zoo-replica", ".zip");
        ShippedModel shipped;
        try {
            ModelArchive.save(model, shipping, Map.of(), true);
            shipped = ShippedModel.of(sc, model.card().name() + " (replica)", Files.readAllBytes(shipping));
        } finally {
            Files.deleteIfExists(shipping);
        }
        JavaRDD<Tuple2<String, String>> data = pairs.persist(StorageLevel.MEMORY_AND_DISK());
        long start = System.nanoTime();
        double lastLoss = Double.NaN;
        long round = startRound;
        try {
            if (last != null && startRound == 0) {
                checkpoint(last, 0, 0, 0, Double.NaN);
            }
            int k = stepsPerRound;
            int b = batchSize;
            int ml = maxLength;
            long s = seed;
            double maxNorm = model.card().maxGradNorm();
            while (round < rounds) {
                long r = round;
                INDArray stateView = graph.getUpdater().getStateViewArray();
                Broadcast<float[][]> now = sc.broadcast(new float[][]{graph.params().toFloatVector(),
                        stateView.toFloatVector()});
                int iteration = graph.getConfiguration().getIterationCount();
                Round sum = data.mapPartitionsWithIndex((p, it) -> List.of(
                        trainShard(shipped, now, iteration, p, it, r, k, b, ml, s, maxNorm)).iterator(), false)
                        .treeReduce(Round::plus);
                now.destroy();
                if (sum.replicas() == 0) {
                    throw new IllegalStateException("the training data yields no batches");
                }
                float[] p = sum.params();
                float[] st = sum.state();
                for (int i = 0; i < p.length; i++) {
                    p[i] /= sum.replicas();
                }
                for (int i = 0; i < st.length; i++) {
                    st[i] /= sum.replicas();
                }
                graph.setParams(Nd4j.createFromArray(p).reshape(graph.params().shape()).castTo(graph.params().dataType()));
                stateView.assign(Nd4j.createFromArray(st).reshape(stateView.shape()).castTo(stateView.dataType()));
                graph.getConfiguration().setIterationCount(iteration + k);
                round++;
                examples += sum.examples();
                lastLoss = sum.lossTokens() / sum.tokens();
                if (!(lastLoss < Double.POSITIVE_INFINITY)) {
                    throw new IllegalStateException("training diverged in round " + round + " (loss " + lastLoss + ")");
                }
                double seconds = secondsBefore + (System.nanoTime() - start) / 1e9;
                say("round %d/%d: %d replicas, %d pairs so far, loss %.4f per token, %.0f s", round, rounds,
                        sum.replicas(), examples, lastLoss, seconds);
                if (last != null && (round % checkpointEvery == 0 || round == rounds)) {
                    checkpoint(last, round, examples, seconds, lastLoss);
                }
            }
        } finally {
            data.unpersist(false);
            shipped.destroy();
        }
        double seconds = secondsBefore + (System.nanoTime() - start) / 1e9;
        Result result = new Result(round, round * stepsPerRound, examples, lastLoss, seconds, startRound);
        if (out != null) {
            Map<String, String> provenance = new LinkedHashMap<>(model.provenance());
            provenance.put("trainingSteps", Long.toString(result.steps()));
            provenance.put("trainingExamples", Long.toString(examples));
            provenance.put("trainedOn", "Spark, parameter averaging: " + stepsPerRound + " steps per round, batches of "
                    + batchSize);
            model.putProvenance(provenance);
            ModelArchive.save(model, out.resolve("model.zip"));
        }
        return result;
    }

    /** k steps from the broadcast state on one partition's pairs, on a replica borrowed from this JVM. */
    private static Round trainShard(ShippedModel shipped, Broadcast<float[][]> now, int iteration, int partition,
                                    Iterator<Tuple2<String, String>> it, long round, int k, int batchSize,
                                    int maxLength, long seed, double maxNorm) {
        List<SentencePair> pairs = new ArrayList<>();
        while (it.hasNext()) {
            Tuple2<String, String> t = it.next();
            pairs.add(new SentencePair(t._1(), t._2(), "partition " + partition));
        }
        if (pairs.isEmpty()) {
            return new Round(new float[0], new float[0], 0, 0, 0, 0);
        }
        TranslationModel replica = ExecutorModels.borrowReplica(shipped);
        try {
            ComputationGraph g = replica.graph();
            if (maxNorm > 0 && g.getListeners().stream().noneMatch(l -> l instanceof GlobalNormClipping)) {
                g.addListeners(new GlobalNormClipping(maxNorm));
            }
            float[][] state = now.value();
            g.setParams(Nd4j.createFromArray(state[0]).reshape(g.params().shape()).castTo(g.params().dataType()));
            INDArray view = g.getUpdater().getStateViewArray();
            view.assign(Nd4j.createFromArray(state[1]).reshape(view.shape()).castTo(view.dataType()));
            g.getConfiguration().setIterationCount(iteration);
            TeacherForcingIterator batches = ExecutorModels.takeShard(shipped, partition);
            if (batches == null) {
                batches = TrainingData.batches(replica, pairs, batchSize, maxLength, seed * 1_009L + partition);
            }
            if (batches.batchesPerEpoch() == 0) {
                return new Round(new float[0], new float[0], 0, 0, 0, 0);
            }
            // Round r starts at the shard's batch r·k, counted over its epochs' shuffles: wherever the task runs,
            // and after a resume, the same batches as an uninterrupted run.
            long skip = round * k;
            int epoch = 0;
            batches.seek(0, 0);
            while (skip >= batches.batchesPerEpoch()) {
                skip -= batches.batchesPerEpoch();
                batches.seek(++epoch, 0);
            }
            batches.seek(epoch, (int) skip);
            long examples = 0;
            double lossTokens = 0;
            long tokens = 0;
            for (int step = 0; step < k; step++) {
                if (!batches.hasNext()) {
                    batches.reset();
                }
                MultiDataSet batch = batches.next();
                Nd4j.getRandom().setSeed((seed * 1_000_003L + round * k + step) * 1_009L + partition);
                g.fit(batch);
                long batchTokens = (long) batch.getLabelsMaskArray(0).sumNumber().doubleValue();
                long rows = batch.getLabels(0).size(0);
                // DL4J's score is the masked loss summed over time, averaged over the minibatch.
                lossTokens += g.score() * rows;
                tokens += batchTokens;
                examples += rows;
            }
            ExecutorModels.keepShard(shipped, partition, batches);
            return new Round(g.params().toFloatVector(), view.toFloatVector(), 1, examples, lossTokens, tokens);
        } finally {
            ExecutorModels.giveBack(shipped, replica);
        }
    }

    /** Loads a checkpoint of this model into it: parameters, optimiser state, iteration count; returns its state. */
    private Map<String, String> resume(Path last) throws IOException {
        TranslationModel saved = ModelArchive.load(last, true);
        Map<String, String> state = ModelArchive.trainingState(last);
        if (!state.containsKey("spark.round")) {
            throw new IOException(last + ": not a checkpoint of a Spark training run; use a new folder for --out");
        }
        String difference = RunFolder.difference(saved, model);
        if (difference != null) {
            throw new IOException(out + ": --out holds a run of another model (" + difference + "); use a new folder");
        }
        RunFolder.adopt(model.graph(), saved.graph());
        return state;
    }

    /** last.zip: the model, its optimiser state and where the run stands (train's keys, and the round). */
    private void checkpoint(Path last, long round, long examples, double seconds, double loss) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("step", Long.toString(round * stepsPerRound));
        m.put("epochs", "0");
        m.put("iteratorEpoch", "-1");
        m.put("batchInEpoch", "0");
        m.put("targetTokens", "0");
        m.put("seconds", Double.toString(seconds));
        m.put("bestBleu", "NaN");
        m.put("bestChrf", "NaN");
        m.put("bestStep", "0");
        m.put("lastEvalStep", "0");
        m.put("evalsWithoutImprovement", "0");
        m.put("stoppedEarly", "false");
        m.put("lastLoss", Double.toString(loss));
        m.put("spark.round", Long.toString(round));
        m.put("spark.examples", Long.toString(examples));
        m.put("spark.stepsPerRound", Integer.toString(stepsPerRound));
        m.put("spark.batchSize", Integer.toString(batchSize));
        ModelArchive.save(model, last, m);
    }

    private void say(String format, Object... args) {
        if (log != null) {
            log.println(String.format(Locale.ROOT, format, args));
        }
    }

    /** Settings of a run; model is required. */
    public static final class Builder {
        private TranslationModel model;
        private int batchSize = 64;
        private int maxLength = 50;
        private int stepsPerRound = 10;
        private long rounds = 1;
        private long seed = 1;
        private Path out;
        private int checkpointEvery = 1;
        private PrintStream log;

        /** The model to train; it holds the averaged state after every round. */
        public Builder model(TranslationModel m) { this.model = m; return this; }
        /** Pairs per batch on each partition (default 64). */
        public Builder batchSize(int n) { this.batchSize = n; return this; }
        /** Pairs with more tokens on a side are skipped (default 50). */
        public Builder maxLength(int n) { this.maxLength = n; return this; }
        /** k: Adam steps each partition takes between averagings (default 10). */
        public Builder stepsPerRound(int k) { this.stepsPerRound = k; return this; }
        /** Rounds in all, resumed ones included (default 1). */
        public Builder rounds(long n) { this.rounds = n; return this; }
        /** Seeds the data order (default 1). */
        public Builder seed(long s) { this.seed = s; return this; }
        /** Output folder: last.zip and model.zip, resumed from when it holds a run. */
        public Builder out(Path dir) { this.out = dir; return this; }
        /** Rounds between checkpoints (default 1). */
        public Builder checkpointEvery(int rounds) { this.checkpointEvery = rounds; return this; }
        /** Where a line per round goes (default: nowhere). */
        public Builder log(PrintStream stream) { this.log = stream; return this; }

        public SparkTrainer build() {
            return new SparkTrainer(this);
        }
    }
}
