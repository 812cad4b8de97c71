package org.attentionzoo.decode.incremental;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.function.Supplier;

/**
 * An array a decoder computes from a graph's parameters once and then reuses (a lookup table, weights joined
 * with their bias), computed again when the graph's iteration count, which every {@code fit} step advances
 * ({@code DataParallelGraph}'s too), differs from the one it was computed at. A caller that writes parameters by
 * other means ({@code setParams}, {@code assign}) makes a new step model afterwards. Outside any workspace.
 */
final class DerivedArray {

    private final ComputationGraph graph;
    private final Supplier<INDArray> compute;
    private INDArray value;
    private int computedAt;

    /** @param compute computes the array from {@code graph}'s current parameters */
    DerivedArray(ComputationGraph graph, Supplier<INDArray> compute) {
        this.graph = graph;
        this.compute = compute;
    }

    /** The array for the graph's current parameters. */
    INDArray get() {
        int iteration = graph.getIterationCount();
        if (value == null || computedAt != iteration) {
            try (MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                value = compute.get();
            }
            computedAt = iteration;
        }
        return value;
    }
}
