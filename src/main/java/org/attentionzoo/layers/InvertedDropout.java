package org.attentionzoo.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Inverted dropout inside a SameDiff layer or vertex, where DL4J M2.1 offers none that works: its runtime
 * calls {@code defineLayer} once, never tells the SameDiff graph whether it is training, and runs the
 * forward pass twice per update (once for the output, once again inside the gradient computation), so a
 * random op in the graph ({@code sd.nn().dropout}) would draw one mask for the output and another for the
 * gradient, and drop units at inference as well.
 *
 * <p>Instead the graph multiplies by a <em>mask placeholder</em> ({@link #placeholder}), and the layer's
 * runtime ({@link DropoutSameDiffLayer}, {@link FixedSameDiffGraphVertex}) fills it on every forward pass
 * with what the configuration ({@link DropoutMaskSource}) returns: in training a fresh mask ({@link #mask}:
 * each element 0 with probability p, else 1/(1 − p), drawn from ND4J's random generator, so the trainer's
 * per-step seed makes it reproducible), kept for the backward pass of the same update; at inference a
 * single 1 ({@link #identity}), which leaves every value bitwise unchanged.
 */
public final class InvertedDropout {

    private InvertedDropout() {
    }

    /** Checks a drop probability: in [0, 1). */
    public static double checkProbability(String who, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException(who + ": dropout probability must be in [0, 1) (0 for none); got " + p);
        }
        return p;
    }

    /**
     * Declares a mask placeholder of the given rank, every dimension free (a training mask has the shape of
     * the tensor it multiplies, the inference mask is all 1s of size 1).
     */
    public static SDVariable placeholder(SameDiff sd, String name, DataType dataType, int rank) {
        long[] shape = new long[rank];
        Arrays.fill(shape, -1);
        return sd.placeHolder(name, dataType, shape);
    }

    /**
     * A training mask: each element independently 0 with probability p and 1/(1 − p) otherwise, allocated
     * outside any workspace (it lives from the forward to the backward pass).
     */
    public static INDArray mask(double p, DataType dataType, long... shape) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray m = Nd4j.createUninitialized(dataType, shape);
            Nd4j.getExecutioner().exec(new BernoulliDistribution(m, 1.0 - p));
            return m.muli(1.0 / (1.0 - p));
        }
    }

    /** The inference mask: a single 1 of the given rank (broadcast, x · 1 = x exactly). */
    public static INDArray identity(DataType dataType, int rank) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            long[] shape = new long[rank];
            Arrays.fill(shape, 1);
            return Nd4j.ones(dataType, shape);
        }
    }

    /**
     * Frees the native memory of a pass's masks now, rather than when the collector finds them: a runtime calls it
     * when it draws the next pass's masks, its backward pass done. A Transformer step draws megabytes of masks;
     * left to the collector they piled up in the C allocator between collections and resident memory crept up
     * over a run. Arrays that cannot be closed (views, workspace arrays) are left alone.
     */
    public static void release(java.util.Map<String, INDArray> masks) {
        for (INDArray m : masks.values()) {
            if (m != null && !m.wasClosed() && m.closeable()) {
                m.close();
            }
        }
    }

    /** In training {@link #mask}, otherwise {@link #identity} of the same rank. */
    public static INDArray maskOrIdentity(boolean training, double p, DataType dataType, long... shape) {
        return training ? mask(p, dataType, shape) : identity(dataType, shape.length);
    }
}
