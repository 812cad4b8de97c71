package org.attentionzoo.train;

import org.attentionzoo.util.Threads;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;

/**
 * Synchronous data parallelism inside one training step: the minibatch's rows are cut into k shards, each
 * shard's gradient is computed on its own thread ({@link Threads#parallel}) by its own copy of the graph,
 * and the gradients are summed before the one update. The loss is a sum over sentences, so the summed gradient is the whole minibatch's
 * (up to float rounding), and everything after it (listeners such as {@code GlobalNormClipping}, the
 * updater dividing by the minibatch size, Adam's step, the iteration count) is DL4J's ordinary {@code fit}.
 *
 * <p>Why: a zoo step is a chain of mid-sized products and many small operations; libnd4j's threads inside
 * one operation gain little on them (see {@link Threads}), whereas k independent shards keep k cores busy.
 * With one thread per operation, a 2-core machine computes two half-batch gradients side by side in less
 * time than one full-batch gradient, though not in half (the two shards slow each other down).
 *
 * <p>How: this object <em>is</em> the graph for training. It is built on the configuration, parameters and
 * updater state of an existing graph, shared, not copied: its update writes into the original's
 * parameter and Adam arrays in place, so the original (what is saved, evaluated and decoded) always holds
 * the trained state, and the iteration and epoch counts (the configuration's) advance for both. Its
 * listeners are the original's at construction. The copies for shards 2..k share the same parameter array
 * and have their own gradient arrays and activations.
 * <pre>{@code
 * ComputationGraph parallel = DataParallelGraph.of(model.graph(), 2);
 * parallel.fit(batch);                // model.graph() now holds the updated parameters
 * }</pre>
 *
 * <p>Dropout: each shard's thread draws from ND4J's random generator of that thread, seeded before every
 * step from one number drawn from the calling thread's generator, so a run seeded per step (as the
 * {@code Trainer} does) takes the same path when resumed. The path differs from a one-thread run's, as the
 * masks are drawn in another order.
 *
 * <p>Not for truncated backpropagation through time (the zoo does not use it): the state carried between
 * segments belongs to one graph.
 */
public final class DataParallelGraph extends ComputationGraph {

    private final int workers;
    private final List<ComputationGraph> replicas = new ArrayList<>();
    /** The labels last set (ComputationGraph keeps its own private). */
    private INDArray[] labels;

    private DataParallelGraph(ComputationGraph graph, int workers) {
        super(graph.getConfiguration());
        this.workers = workers;
        init(graph.params(), false);
        setUpdater(new ComputationGraphUpdater(this, graph.getUpdater().getStateViewArray()));
        setListeners(graph.getListeners());
        for (int i = 1; i < workers; i++) {
            ComputationGraph replica = new ComputationGraph(graph.getConfiguration().clone());
            replica.init(graph.params(), false);
            replicas.add(replica);
        }
    }

    /**
     * A graph that trains {@code graph} with {@code workers} shards per minibatch.
     *
     * @param workers shards (threads) per step, at least 2; {@link Threads#workers()} keeps every core busy
     * @throws IllegalArgumentException if workers &lt; 2 or the graph uses truncated BPTT
     */
    public static DataParallelGraph of(ComputationGraph graph, int workers) {
        if (workers < 2) {
            throw new IllegalArgumentException("data parallelism needs at least 2 workers, got " + workers
                    + "; train the graph itself with one");
        }
        if (graph.getConfiguration().getBackpropType() == BackpropType.TruncatedBPTT) {
            throw new IllegalArgumentException("data parallelism does not support truncated BPTT");
        }
        return new DataParallelGraph(graph, workers);
    }

    /** Shards per minibatch. */
    public int workers() {
        return workers;
    }

    /**
     * The whole minibatch's gradient (summed over its sentences, into this graph's gradient array) and score
     * (the minibatch mean, as DL4J's), computed shard by shard on {@link #workers()} threads. A minibatch of
     * fewer sentences than workers uses fewer shards.
     */
    @Override
    public void computeGradientAndScore() {
        INDArray[] inputs = getInputs();
        INDArray[] labels = this.labels;
        INDArray[] inputMasks = getInputMaskArrays();
        INDArray[] labelMasks = getLabelMaskArrays();
        long n = inputs[0].size(0);
        int shards = (int) Math.min(workers, n);
        if (shards < 2) {
            super.computeGradientAndScore();
            return;
        }
        long seed = Nd4j.getRandom().nextLong();
        int iteration = getConfiguration().getIterationCount();
        int epoch = getConfiguration().getEpochCount();
        double[] summedScores = new double[shards];
        try {
            Threads.parallel(shards, s -> {
                long from = Threads.shardStart(n, s, shards);
                long to = Threads.shardStart(n, s + 1, shards);
                ComputationGraph g = s == 0 ? this : replicas.get(s - 1);
                if (s > 0) {
                    Nd4j.getRandom().setSeed(seed + s);
                    g.getConfiguration().setIterationCount(iteration);                // for anything scheduled
                    g.getConfiguration().setEpochCount(epoch);
                }
                try (MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    load(g, rows(inputs, from, to), rows(labels, from, to), rows(inputMasks, from, to),
                            rows(labelMasks, from, to));
                }
                if (s == 0) {
                    super.computeGradientAndScore();
                } else {
                    g.computeGradientAndScore();
                }
                summedScores[s] = g.score() * (to - from);
            });
        } finally {
            load(this, inputs, labels, inputMasks, labelMasks);   // listeners and the updater see the whole minibatch
        }
        INDArray gradient = getGradientsViewArray();
        double summedScore = summedScores[0];
        for (int s = 1; s < shards; s++) {
            summedScore += summedScores[s];
            gradient.addi(replicas.get(s - 1).getGradientsViewArray());
        }
        setScore(summedScore / n);
    }

    @Override
    public void setLabels(INDArray... labels) {
        super.setLabels(labels);
        this.labels = labels;
    }

    private static void load(ComputationGraph g, INDArray[] inputs, INDArray[] labels, INDArray[] inputMasks,
                             INDArray[] labelMasks) {
        g.setInputs(inputs);
        g.setLabels(labels);
        g.setLayerMaskArrays(inputMasks, labelMasks);
    }

    /** Rows [from, to) of each array (a copy, so that each shard is contiguous); null stays null. */
    private static INDArray[] rows(INDArray[] arrays, long from, long to) {
        if (arrays == null) {
            return null;
        }
        INDArray[] out = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            INDArray a = arrays[i];
            if (a == null) {
                continue;
            }
            INDArrayIndex[] index = new INDArrayIndex[a.rank()];
            index[0] = NDArrayIndex.interval(from, to);
            for (int d = 1; d < index.length; d++) {
                index[d] = NDArrayIndex.all();
            }
            out[i] = a.get(index).dup();
        }
        return out;
    }
}
