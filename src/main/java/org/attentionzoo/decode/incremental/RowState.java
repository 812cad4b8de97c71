package org.attentionzoo.decode.incremental;

import org.attentionzoo.util.DirectBuffers;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Named tensors whose first dimension indexes the same rows (sentences, or beam hypotheses): encoder
 * output, LSTM states, a Transformer's cached keys and values. Immutable; {@link #select} gathers rows,
 * which is how a beam's surviving hypotheses take their parents' state.
 */
public final class RowState {

    private final int rows;
    private final Map<String, INDArray> tensors;
    private int[] lastIndices;
    private RowState lastSelected;
    private java.util.Set<String> lastInPlace;

    /** The names of tensors made for this state outside any workspace, of no other state ({@link Builder#putFresh}). */
    private final java.util.Set<String> fresh;

    private RowState(int rows, Map<String, INDArray> tensors, java.util.Set<String> fresh) {
        this.rows = rows;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.fresh = fresh;
    }

    /** A builder for a state of {@code rows} rows. */
    public static Builder builder(int rows) {
        return new Builder(rows);
    }

    public int rows() {
        return rows;
    }

    /** @throws IllegalArgumentException if there is no tensor of that name */
    public INDArray get(String name) {
        INDArray t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no state tensor \"" + name + "\"; have " + tensors.keySet());
        }
        return t;
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** Rows {@code indices[0]}, {@code indices[1]}, … of every tensor (repeats allowed), as a new state. */
    public RowState select(int[] indices) {
        if (isIdentity(indices)) {
            return this;
        }
        Builder b = new Builder(indices.length);
        tensors.forEach((name, t) -> b.put(name, selectRows(t, indices)));
        return b.build();
    }

    /** {@link #select} of the named tensors only (each must be present). */
    public RowState select(int[] indices, String... names) {
        Builder b = new Builder(indices.length);
        for (String name : names) {
            b.put(name, isIdentity(indices) ? get(name) : selectRows(get(name), indices));
        }
        return b.build();
    }

    /** Rows {@code indices} of one tensor whose first dimension indexes rows; a new c-order array. */
    public static INDArray selectRows(INDArray t, int[] indices) {
        long[] shape = t.shape();
        long rest = t.length() / shape[0];
        INDArray flat = (DirectBuffers.denseRowMajor(t) ? t : t.dup('c')).reshape('c', shape[0], rest);
        INDArray picked = DirectBuffers.gatherRows(flat, indices);
        shape = shape.clone();
        shape[0] = indices.length;
        return picked.reshape('c', shape);
    }

    /**
     * {@link #select}, remembered: a second call with the same indices returns the same state (the rows of
     * the encoder output that a beam's hypotheses read at every step). The selected tensors live outside
     * any workspace and are shared between the calls, so they must not be modified.
     */
    public RowState selectShared(int[] indices) {
        return selectShared(indices, java.util.Set.of());
    }

    /**
     * {@link #selectShared(int[])} of every tensor but those named in {@code inPlace}, which the caller reads through
     * each row's index instead (an encoder output that a step reads in place need not be copied per row).
     * Remembered for one set of names.
     */
    public synchronized RowState selectShared(int[] indices, java.util.Set<String> inPlace) {
        if (lastSelected == null || !Arrays.equals(indices, lastIndices) || !inPlace.equals(lastInPlace)) {
            String[] names = tensors.keySet().stream().filter(name -> !inPlace.contains(name)).toArray(String[]::new);
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                lastSelected = select(indices, names);
            }
            lastIndices = indices.clone();
            lastInPlace = inPlace;
        }
        return lastSelected;
    }

    /**
     * This state with every tensor outside any ND4J workspace ({@code INDArray.detach}: a copy when the
     * tensor lives in one, the tensor itself otherwise), so that it stays valid after the workspace closes.
     */
    public RowState detach() {
        return detach(copy -> { });
    }

    /**
     * {@link #detach}, handing each copy it makes (a new array, of no other state) to {@code copies}, and each
     * tensor put {@linkplain Builder#putFresh fresh}, which needs no copy.
     */
    RowState detach(java.util.function.Consumer<INDArray> copies) {
        Builder b = new Builder(rows);
        tensors.forEach((name, t) -> {
            if (t.isAttached()) {
                INDArray copy = t.detach();
                copies.accept(copy);
                b.put(name, copy);
            } else {
                if (fresh.contains(name)) {
                    copies.accept(t);
                }
                b.put(name, t);
            }
        });
        return b.build();
    }

    /** The tensors, by name. */
    java.util.Collection<INDArray> tensors() {
        return tensors.values();
    }

    private boolean isIdentity(int[] indices) {
        if (indices.length != rows) {
            return false;
        }
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] != i) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("RowState(" + rows + " rows");
        tensors.forEach((k, v) -> s.append(", ").append(k).append(java.util.Arrays.toString(v.shape())));
        return s.append(')').toString();
    }

    /** Collects the tensors of a state; each must have {@code rows} rows. */
    public static final class Builder {
        private final int rows;
        private final Map<String, INDArray> tensors = new LinkedHashMap<>();
        private final java.util.Set<String> fresh = new java.util.HashSet<>();

        private Builder(int rows) {
            this.rows = rows;
        }

        /** @throws IllegalArgumentException if the tensor's first dimension is not the row count */
        public Builder put(String name, INDArray tensor) {
            Objects.requireNonNull(tensor, name);
            if (tensor.rank() == 0 || tensor.size(0) != rows) {
                throw new IllegalArgumentException("state tensor \"" + name + "\" has shape "
                        + java.util.Arrays.toString(tensor.shape()) + ", expected " + rows + " rows first");
            }
            tensors.put(name, tensor);
            fresh.remove(name);
            return this;
        }

        /**
         * {@link #put} a tensor made for this state alone outside any workspace: {@link #detach} keeps it without a
         * copy and reports it as its own, so that its owner (a decoding session) closes it when no state reads it.
         *
         * @throws IllegalArgumentException if the tensor lives in a workspace
         */
        Builder putFresh(String name, INDArray tensor) {
            if (tensor.isAttached()) {
                throw new IllegalArgumentException("state tensor \"" + name + "\" lives in a workspace; putFresh takes"
                        + " tensors made outside any");
            }
            put(name, tensor);
            fresh.add(name);
            return this;
        }

        public RowState build() {
            return new RowState(rows, new LinkedHashMap<>(tensors), java.util.Set.copyOf(fresh));
        }
    }
}
