package org.attentionzoo.decode.incremental;

import org.attentionzoo.decode.step.StepModel;
import org.attentionzoo.decode.step.TopTokens;
import org.attentionzoo.util.DirectBuffers;
import org.attentionzoo.util.SimdMath;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The {@link StepModel} of an {@link IncrementalDecoder}: the encoder runs once per {@link #start}, and a
 * prefix's decoder state is kept until the next call, so extending a prefix by one token costs one
 * decoder step. Greedy decoding and beam search ask exactly for such extensions; a prefix whose parent is
 * not cached (any other caller) is rebuilt from BOS, one step per token, so every request is answered.
 */
public final class IncrementalStepModel implements StepModel {

    /**
     * Every {@code logProbs} call runs in this ND4J workspace, so a step's temporaries (gates, scores, the
     * [rows, V] logits) reuse one block of memory from call to call instead of fresh allocations, which ND4J
     * frees only when the garbage collector finds their Java objects (fresh pages cost more than the
     * arithmetic at these sizes: see docs/dl4j-notes.md). What outlives the call is copied out: the
     * log-probabilities into Java arrays, the new decoder states by {@link RowState#detach}. The block is
     * kept per thread and grows to the largest step seen.
     */
    static final String STEP_WORKSPACE = "attention-zoo-decoder-step";
    static final WorkspaceConfiguration STEP_MEMORY = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.OVERALLOCATE).overallocationLimit(0.2)
            .policyLearning(LearningPolicy.FIRST_LOOP).policySpill(SpillPolicy.REALLOCATE).build();

    private final IncrementalDecoder decoder;

    public IncrementalStepModel(IncrementalDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public Session start(int[][] sources) {
        for (int[] s : sources) {
            if (s.length == 0) {
                throw new IllegalArgumentException("empty source sentence");
            }
        }
        if (sources.length == 0) {                                   // nothing to encode; any row asked is out of range
            return new CachedSession(null, 0);
        }
        return new CachedSession(decoder.encode(sources), sources.length);
    }

    /** A (sentence, prefix) pair as a map key. */
    private record Key(int sentence, int[] prefix) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.sentence == sentence && Arrays.equals(k.prefix, prefix);
        }

        @Override
        public int hashCode() {
            return 31 * sentence + Arrays.hashCode(prefix);
        }

        Key parent() {
            return new Key(sentence, Arrays.copyOf(prefix, prefix.length - 1));
        }
    }

    /** Reads one decoder step's output; {@code members} are the positions of its rows in the request. */
    @FunctionalInterface
    private interface Reader {
        void read(StepOutput result, List<Integer> members);
    }

    /** Row {@code row} of a batched state. */
    private record Slot(RowState batch, int row) {
    }

    private final class CachedSession implements Session {

        private final RowState encoded;
        private final int sentenceCount;
        private Map<Key, Slot> cache = new HashMap<>();
        /**
         * The state arrays this session copied out of the step workspace. ND4J frees an array's memory only when
         * the garbage collector finds it, and a decoding run drops a state per step (the Transformer's keys and
         * values grow with every token), so these are closed as soon as no cached state reads them: the memory
         * goes back to the allocator for the next step instead of piling up until a collection.
         */
        private final Set<INDArray> owned = Collections.newSetFromMap(new IdentityHashMap<>());
        /** The attention rows of the last call, in its order; null when the decoder reports none. */
        private float[][] lastAttention;

        CachedSession(RowState encoded, int sentenceCount) {
            this.encoded = encoded;
            this.sentenceCount = sentenceCount;
        }

        @Override
        public double[][] logProbs(int[] sentences, int[][] prefixes) {
            double[][] out = new double[sentences.length][];
            answer(sentences, prefixes, (result, members) -> {
                double[][] rows = rows(result.logProbs());
                for (int j = 0; j < rows.length; j++) {
                    out[members.get(j)] = rows[j];
                }
            });
            return out;
        }

        /** The argmax of each row's scores: the logits, never normalised (see {@link StepOutput}). */
        @Override
        public int[] bestTokens(int[] sentences, int[][] prefixes, int... excluded) {
            int[] out = new int[sentences.length];
            answer(sentences, prefixes, (result, members) -> {
                TopTokens[] best = topOfRows(result, 1, excluded, false);
                for (int j = 0; j < best.length; j++) {
                    out[members.get(j)] = best[j].tokens()[0];
                }
            });
            return out;
        }

        /**
         * A row's k best tokens read from its logits in one pass, and the row's log Σ_v exp(z_v) ({@link LogSumExp}):
         * log p = z − log Σ exp(z) for the k tokens only, where {@link #logProbs} normalises and copies all V of them.
         */
        @Override
        public TopTokens[] topTokens(int[] sentences, int[][] prefixes, int k, int... excluded) {
            TopTokens[] out = new TopTokens[sentences.length];
            answer(sentences, prefixes, (result, members) -> {
                TopTokens[] top = topOfRows(result, k, excluded, true);
                for (int j = 0; j < top.length; j++) {
                    out[members.get(j)] = top[j];
                }
            });
            return out;
        }

        /** Steps every (sentence, prefix) pair from its parent's state and hands each step's output to {@code reader}. */
        private void answer(int[] sentences, int[][] prefixes, Reader reader) {
            if (sentences.length != prefixes.length) {
                throw new IllegalArgumentException(sentences.length + " sentences but " + prefixes.length + " prefixes");
            }
            Key[] keys = new Key[sentences.length];
            for (int i = 0; i < keys.length; i++) {
                if (sentences[i] < 0 || sentences[i] >= sentenceCount) {
                    throw new IllegalArgumentException("sentence " + sentences[i] + " of " + sentenceCount);
                }
                if (prefixes[i].length == 0) {
                    throw new IllegalArgumentException("empty prefix; a prefix starts with BOS");
                }
                keys[i] = new Key(sentences[i], prefixes[i].clone());
            }
            Map<Key, Slot> next = new HashMap<>();
            float[][] attention = new float[keys.length][];
            boolean[] reported = {true};
            Reader withAttention = (result, members) -> {
                reader.read(result, members);
                if (result.attention() == null) {
                    reported[0] = false;
                    return;
                }
                float[][] rows = result.attention().castTo(DataType.FLOAT).toFloatMatrix();   // out of the workspace
                for (int j = 0; j < rows.length; j++) {
                    attention[members.get(j)] = rows[j];
                }
            };
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(STEP_MEMORY, STEP_WORKSPACE)) {
                advance(keys, next, withAttention);
            }
            lastAttention = reported[0] ? attention : null;
            cache = next;
            releaseUnused();
        }

        @Override
        public float[][] lastAttention() {
            return lastAttention;
        }

        /** Closes the owned arrays that no cached state reads any more (as a tensor or through a view). */
        private void releaseUnused() {
            Set<DataBuffer> live = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Slot slot : cache.values()) {
                for (INDArray t : slot.batch().tensors()) {
                    live.add(memoryOf(t));
                }
            }
            owned.removeIf(a -> {
                if (live.contains(memoryOf(a))) {
                    return false;
                }
                a.close();
                return true;
            });
        }

        /** Closes every array this session copied; the session answers nothing after this. */
        @Override
        public void close() {
            cache = new HashMap<>();
            releaseUnused();
        }

        /**
         * Runs one decoder step for each key from its parent's state, grouped by the batch the parent
         * lives in; records each key's new state in {@code next} and hands the outputs to {@code reader}
         * (null: not read).
         */
        private void advance(Key[] keys, Map<Key, Slot> next, Reader reader) {
            Map<RowState, List<Integer>> groups = new IdentityHashMap<>();
            Map<RowState, List<Integer>> parentRows = new IdentityHashMap<>();
            List<Integer> fromStart = new ArrayList<>();
            for (int i = 0; i < keys.length; i++) {
                if (keys[i].prefix.length == 1) {
                    fromStart.add(i);
                    continue;
                }
                Slot parent = parentSlot(keys[i].parent());
                groups.computeIfAbsent(parent.batch, b -> new ArrayList<>()).add(i);
                parentRows.computeIfAbsent(parent.batch, b -> new ArrayList<>()).add(parent.row);
            }
            if (!fromStart.isEmpty()) {
                int[] sentences = sentencesOf(keys, fromStart);
                RowState initial = decoder.initialState(encoded, sentences);
                step(keys, fromStart, initial, IntStream.range(0, sentences.length).toArray(), next, reader);
            }
            for (Map.Entry<RowState, List<Integer>> g : groups.entrySet()) {
                int[] rows = parentRows.get(g.getKey()).stream().mapToInt(Integer::intValue).toArray();
                step(keys, g.getValue(), g.getKey(), rows, next, reader);
            }
        }

        /** One decoder step of {@code members} from rows {@code rows} of {@code parents}. */
        private void step(Key[] keys, List<Integer> members, RowState parents, int[] rows, Map<Key, Slot> next,
                          Reader reader) {
            int[] sentences = sentencesOf(keys, members);
            int[] tokens = new int[members.size()];
            for (int j = 0; j < tokens.length; j++) {
                int[] p = keys[members.get(j)].prefix;
                tokens[j] = p[p.length - 1];
            }
            StepOutput result = decoder.step(encoded, sentences, parents, rows, tokens);
            if (reader != null) {
                reader.read(result, members);
            }
            RowState kept = result.state().detach(owned::add);                    // outlives this call's workspace
            for (int j = 0; j < tokens.length; j++) {
                next.put(keys[members.get(j)], new Slot(kept, j));
            }
        }

        /**
         * The rows of a [n, V] matrix as Java arrays, read straight from its memory when it is a dense
         * row-major float matrix (as {@code SoftmaxOutput} makes them, possibly as the transpose of a
         * column-major buffer): {@code toDoubleMatrix} reads row by row and took longer than the output
         * layer's matrix product at batch 64, and a bulk {@code asDouble()} makes a 4 MB array per step.
         */
        private static double[][] rows(INDArray matrix) {
            int n = (int) matrix.size(0);
            int v = (int) matrix.size(1);
            double[][] out = new double[n][v];
            if (DirectBuffers.floatRows(matrix)) {
                FloatBuffer values = DirectBuffers.floats(matrix);
                float[] floats = new float[v];
                for (int i = 0; i < n; i++) {
                    values.get(i * v, floats, 0, v);
                    double[] row = out[i];
                    for (int j = 0; j < v; j++) {
                        row[j] = floats[j];
                    }
                }
                return out;
            }
            double[] all = matrix.dup('c').data().asDouble();
            for (int i = 0; i < n; i++) {
                System.arraycopy(all, i * v, out[i], 0, v);
            }
            return out;
        }

        /**
         * Each row's k best tokens outside {@code excluded}, read from the step's scores in one pass over a dense
         * float matrix; as log-probabilities when {@code logProbs} (z − log Σ_v exp(z_v), the normaliser from
         * {@link LogSumExp}), else as the scores themselves (their order is all greedy decoding needs). Each row
         * is copied into a Java array first (one bulk copy, then loops the JIT compiles tightly, where reading the
         * buffer element by element is several times slower).
         */
        private static TopTokens[] topOfRows(StepOutput result, int k, int[] excluded, boolean logProbs) {
            INDArray z = result.scores();
            int n = (int) z.size(0);
            TopTokens[] top = new TopTokens[n];
            if (!DirectBuffers.floatRows(z)) {
                double[][] rows = rows(logProbs ? result.logProbs() : z);
                for (int i = 0; i < n; i++) {
                    top[i] = TopTokens.of(rows[i], k, excluded);
                }
                return top;
            }
            int v = (int) z.size(1);
            boolean[] skip = TopTokens.skipped(v, excluded);
            FloatBuffer values = DirectBuffers.floats(z);
            float[] row = new float[v];
            float[] scratch = logProbs && !result.normalised() ? new float[v] : null;
            for (int i = 0; i < n; i++) {
                TopTokens.Selection selection = new TopTokens.Selection(k);
                float floor = Float.NEGATIVE_INFINITY;                          // a float value kept, so exact
                boolean full = false;
                values.get(i * v, row, 0, v);
                int best = k == 1 ? firstMax(row, v, skip) : -1;
                for (int j = best < 0 ? 0 : v; j < v; j++) {                         // the scan, unless firstMax found it
                    float x = row[j];
                    if ((x > floor || !full) && !skip[j]) {                    // most tokens stop at the first test
                        selection.offer(j, x);
                        floor = (float) selection.floor();
                        full = selection.full();
                    }
                }
                if (best >= 0) {
                    selection.offer(best, row[best]);
                }
                top[i] = selection.result(scratch == null ? 0 : -LogSumExp.of(row, v, rowMax(row, selection, excluded), scratch));
            }
            return top;
        }

        /**
         * The row's max from what the scan kept: its best token, or an excluded one (NaN is never kept, but
         * makes the log-sum-exp NaN all the same).
         */
        private static float rowMax(float[] row, TopTokens.Selection selection, int[] excluded) {
            float max = (float) selection.best();
            for (int token : excluded) {
                max = Math.max(max, row[token]);
            }
            return max;
        }

        /**
         * The first position of the row's maximum when it is not an excluded token, else −1 (then the scan with
         * its selection runs): one compare per value, where the selection's scan tests a floor and the exclusion
         * mask. NaN values are never the maximum, as in the scan.
         */
        private static int firstMax(float[] row, int v, boolean[] skip) {
            float max = Float.NEGATIVE_INFINITY;
            int best = -1;
            for (int j = 0; j < v; j++) {
                if (row[j] > max) {
                    max = row[j];
                    best = j;
                }
            }
            return best < 0 || skip[best] ? -1 : best;
        }

        /** The buffer an array's memory belongs to: its own, or the one it is a view of. */
        private static DataBuffer memoryOf(INDArray a) {
            DataBuffer d = a.data();
            return d.originalDataBuffer() != null ? d.originalDataBuffer() : d;
        }

        /** The cached state of a prefix, rebuilt from BOS when it is not cached. */
        private Slot parentSlot(Key key) {
            Slot cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
            Map<Key, Slot> rebuilt = new HashMap<>();
            advance(new Key[]{key}, rebuilt, null);
            Slot slot = rebuilt.get(key);
            cache.put(key, slot);
            return slot;
        }

        private int[] sentencesOf(Key[] keys, List<Integer> members) {
            int[] s = new int[members.size()];
            for (int j = 0; j < s.length; j++) {
                s[j] = keys[members.get(j)].sentence;
            }
            return s;
        }
    }
}
