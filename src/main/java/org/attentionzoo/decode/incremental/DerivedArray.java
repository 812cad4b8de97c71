package org.attentionzoo.decode.incremental;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An array a decoder computes from a graph's parameters once and then reuses (a lookup table, weights joined
 * with their bias), computed again when the graph's iteration count, which every {@code fit} step advances
 * ({@code DataParallelGraph}'s too), differs from the one it was computed at. A caller that writes parameters by
 * other means ({@code setParams}, {@code assign}) makes a new step model afterwards. Outside any workspace.
 *
 * <p>One per graph and name ({@link #of}): the step models of a graph's decoding workers (one per core, see
 * {@code Translator}) share it, so a table is built and held once, not once per core. Safe for concurrent use;
 * an array once returned is never written again (a recomputation makes a new one).
 */
final class DerivedArray {

    /** The graphs' derived arrays by name; a graph only weakly held (entries go when it is collected). */
    private static final List<Map.Entry<WeakReference<ComputationGraph>, Map<String, DerivedArray>>> SHARED = new ArrayList<>();

    /** Holds the iteration count; not the graph, which would keep itself alive through {@link #SHARED}. */
    private final ComputationGraphConfiguration configuration;
    private final Supplier<INDArray> compute;
    private INDArray value;
    private int computedAt;

    private DerivedArray(ComputationGraphConfiguration configuration, Supplier<INDArray> compute) {
        this.configuration = configuration;
        this.compute = compute;
    }

    /**
     * The graph's derived array of that name, made on first request.
     *
     * @param name    what the array is, unique per graph (e.g. "decoder_0 token projection")
     * @param compute computes the array from the graph's current parameters; it must not hold the graph itself
     */
    static DerivedArray of(ComputationGraph graph, String name, Supplier<INDArray> compute) {
        synchronized (SHARED) {
            Map<String, DerivedArray> arrays = null;
            for (var it = SHARED.iterator(); it.hasNext(); ) {
                var entry = it.next();
                ComputationGraph g = entry.getKey().get();
                if (g == null) {
                    it.remove();
                } else if (g == graph) {
                    arrays = entry.getValue();
                }
            }
            if (arrays == null) {
                arrays = new HashMap<>();
                SHARED.add(Map.entry(new WeakReference<>(graph), arrays));
            }
            return arrays.computeIfAbsent(name, n -> new DerivedArray(graph.getConfiguration(), compute));
        }
    }

    /** The array for the graph's current parameters. */
    synchronized INDArray get() {
        int iteration = configuration.getIterationCount();
        if (value == null || computedAt != iteration) {
            try (MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                value = compute.get();
            }
            computedAt = iteration;
        }
        return value;
    }
}
