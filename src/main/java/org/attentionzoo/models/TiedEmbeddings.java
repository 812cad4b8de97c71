package org.attentionzoo.models;

import org.attentionzoo.util.DirectBuffers;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import java.util.Arrays;
import java.util.List;

/**
 * Tied embeddings (Press &amp; Wolf 2017; Vaswani et al. 2017, section 3.4): one matrix E [V, d] serves as the
 * target embedding, as the output projection (W_out = Eᵀ, [d, V]) and, with {@link ModelCard.Tie#ALL} and a joint
 * vocabulary, as the source embedding. The output bias stays the output layer's own.
 *
 * <p>A DL4J graph gives every layer its own view of the flat parameter array, so each use keeps a copy: the
 * target embedding's W is the primary, the output layer's W (transposed) and the source embedding's W the
 * secondaries. The tie is kept by three rules:
 * <pre>
 *   after backprop:   ∂L/∂E += Σ_secondary ∂L/∂W_s (transposed where W_s = Eᵀ);   ∂L/∂W_s ← 0
 *   the updater:      steps E on that sum; W_s's gradient, Adam moments and step stay 0
 *   after the update: W_s ← E (transposed where needed)
 * </pre>
 * so the gradient of the tied matrix is the sum of its uses, Adam keeps one state for it, and every copy (which
 * the graph, the decoders and a saved model read) holds the same values. {@link #listener} does the first and
 * last rule in {@code fit}; {@link #sync} the last alone, for a freshly built or rebuilt graph.
 */
public final class TiedEmbeddings {

    private TiedEmbeddings() {
    }

    /** A secondary use of the target embedding: a layer's W, the same matrix or its transpose. */
    private record Use(String layer, boolean transposed) {
    }

    private static List<Use> secondaries(ModelCard.Tie tie) {
        return switch (tie) {
            case NONE -> List.of();
            case DECODER -> List.of(new Use(GraphNames.OUTPUT, true));
            case ALL -> List.of(new Use(GraphNames.OUTPUT, true), new Use(GraphNames.SOURCE_EMBEDDING, false));
        };
    }

    /**
     * Checks that the graph's matrices can be tied as {@code tie} asks.
     *
     * @throws IllegalArgumentException naming the layers and shapes that differ (for {@code all}: the source and
     *                                  target vocabularies must be one joint vocabulary of the same size)
     */
    public static void check(ComputationGraph graph, ModelCard.Tie tie) {
        if (tie == ModelCard.Tie.NONE) {
            return;
        }
        long[] primary = weights(graph, GraphNames.TARGET_EMBEDDING).shape();
        for (Use use : secondaries(tie)) {
            long[] shape = weights(graph, use.layer()).shape();
            long[] expected = use.transposed() ? new long[]{primary[1], primary[0]} : primary;
            if (!Arrays.equals(shape, expected)) {
                throw new IllegalArgumentException("tieEmbeddings " + tie + ": layer \"" + use.layer() + "\" has weights "
                        + Arrays.toString(shape) + " but the target embedding " + Arrays.toString(primary)
                        + (use.transposed() ? " transposed" : "")
                        + (use.layer().equals(GraphNames.SOURCE_EMBEDDING)
                        ? "; tying all needs one joint vocabulary for source and target (train --joint-bpe)" : ""));
            }
        }
    }

    /** Overwrites every secondary copy with the primary (the target embedding), transposed where needed. */
    public static void sync(ComputationGraph graph, ModelCard.Tie tie) {
        if (tie == ModelCard.Tie.NONE) {
            return;
        }
        check(graph, tie);
        INDArray primary = weights(graph, GraphNames.TARGET_EMBEDDING);
        for (Use use : secondaries(tie)) {
            INDArray copy = weights(graph, use.layer());
            if (!use.transposed()) {
                copy.assign(primary);
            } else if (!transposeInto(copy, primary, false)) {
                copy.assign(primary.transpose());
            }
        }
    }

    /**
     * The graph to store: {@code graph} itself when nothing is tied, else a graph on a copy of its parameters (and,
     * with {@code withUpdater}, on its Adam state, shared) whose tied copies are zero, so that a saved model holds the tied matrix
     * once in effect (runs of zeros compress to almost nothing); {@link #sync} after loading restores them.
     * {@code graph} is not changed.
     */
    public static ComputationGraph withoutCopies(ComputationGraph graph, ModelCard.Tie tie, boolean withUpdater) {
        if (tie == ModelCard.Tie.NONE) {
            return graph;
        }
        // The same configuration object (as DataParallelGraph): a clone loses the SameDiff vertices' updaters.
        ComputationGraph copy = new ComputationGraph(graph.getConfiguration());
        copy.init(graph.params().dup(), false);
        if (withUpdater && graph.getUpdater() != null && graph.getUpdater().getStateViewArray() != null) {
            // Adam's state as it is, shared, not copied (as DataParallelGraph shares it): it is only read.
            copy.setUpdater(new ComputationGraphUpdater(copy, graph.getUpdater().getStateViewArray()));
        }
        for (Use use : secondaries(tie)) {
            weights(copy, use.layer()).assign(0);
        }
        return copy;
    }

    /**
     * Adds every secondary's gradient (transposed where needed) into the primary's and zeroes the secondaries',
     * in the graph's flat gradient array after a backward pass.
     */
    public static void sumGradients(ComputationGraph graph, ModelCard.Tie tie) {
        if (tie == ModelCard.Tie.NONE) {
            return;
        }
        INDArray primary = gradient(graph, GraphNames.TARGET_EMBEDDING);
        for (Use use : secondaries(tie)) {
            INDArray g = gradient(graph, use.layer());
            if (!use.transposed()) {
                primary.addi(g);
            } else if (!transposeInto(primary, g, true)) {
                primary.addi(g.transpose());
            }
            g.assign(0);
        }
    }

    /**
     * A listener that keeps the tie in {@code fit}: {@link #sumGradients} when the gradient is computed (before
     * gradient clipping and the updater; add it before {@code GlobalNormClipping}), {@link #sync} when the update
     * is done. Listeners of the graph itself or of a {@code DataParallelGraph} that trains it.
     */
    public static TrainingListener listener(ModelCard.Tie tie) {
        return new BaseTrainingListener() {
            @Override
            public void onGradientCalculation(Model model) {
                sumGradients((ComputationGraph) model, tie);
            }

            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                sync((ComputationGraph) model, tie);
            }

            @Override
            public String toString() {
                return "TiedEmbeddings(" + tie + ")";
            }
        };
    }

    /**
     * {@code a ← bᵀ} (or {@code a ← a + bᵀ} with {@code add}) for matrices a [r, c] and b [c, r] that are both
     * dense and f-ordered, as DL4J's parameter and gradient views are, of one type, float or double: a blocked
     * loop over their memory, with no temporary array. ND4J's addition of a transposed view took 2.5 times as
     * long at [4189, 256], and its assignment of one left native garbage behind: a transformer-small training
     * run peaked 150 MB higher with it. Returns false, having done nothing, for any other layout.
     */
    static boolean transposeInto(INDArray a, INDArray b, boolean add) {
        if (a.rank() != 2 || b.rank() != 2 || a.size(0) != b.size(1) || a.size(1) != b.size(0)
                || a.ordering() != 'f' || b.ordering() != 'f' || !DirectBuffers.contiguous(a) || !DirectBuffers.contiguous(b)
                || a.dataType() != b.dataType() || a.length() > Integer.MAX_VALUE) {
            return false;
        }
        // f-order a [r, c] is row-major [c, r] in memory, f-order b [c, r] row-major [r, c]: A[i][j] (+)= B[j][i].
        int rows = (int) a.size(1);
        int cols = (int) a.size(0);
        if (a.dataType() == DataType.FLOAT) {
            FloatBuffer x = DirectBuffers.floats(a);
            FloatBuffer y = DirectBuffers.floats(b);
            for (int i0 = 0; i0 < rows; i0 += BLOCK) {
                for (int j0 = 0; j0 < cols; j0 += BLOCK) {
                    for (int i = i0; i < Math.min(rows, i0 + BLOCK); i++) {
                        for (int j = j0; j < Math.min(cols, j0 + BLOCK); j++) {
                            float v = y.get(j * rows + i);
                            x.put(i * cols + j, add ? x.get(i * cols + j) + v : v);
                        }
                    }
                }
            }
            return true;
        }
        if (a.dataType() == DataType.DOUBLE) {
            DoubleBuffer x = DirectBuffers.doubles(a);
            DoubleBuffer y = DirectBuffers.doubles(b);
            for (int i0 = 0; i0 < rows; i0 += BLOCK) {
                for (int j0 = 0; j0 < cols; j0 += BLOCK) {
                    for (int i = i0; i < Math.min(rows, i0 + BLOCK); i++) {
                        for (int j = j0; j < Math.min(cols, j0 + BLOCK); j++) {
                            double v = y.get(j * rows + i);
                            x.put(i * cols + j, add ? x.get(i * cols + j) + v : v);
                        }
                    }
                }
            }
            return true;
        }
        return false;
    }

    /** Tile side of {@link #transposeInto}: two tiles of floats fit in a first-level cache. */
    private static final int BLOCK = 32;

    private static INDArray weights(ComputationGraph graph, String layer) {
        return layer(graph, layer).getParam("W");
    }

    private static INDArray gradient(ComputationGraph graph, String layer) {
        Layer l = layer(graph, layer);
        return l.conf().getLayer().initializer().getGradientsFromFlattened(l.conf(), l.getGradientsViewArray()).get("W");
    }

    private static Layer layer(ComputationGraph graph, String name) {
        Layer l = graph.getLayer(name);
        if (l == null) {
            throw new IllegalArgumentException("the graph has no layer \"" + name + "\"; it was not built by the zoo");
        }
        return l;
    }
}
