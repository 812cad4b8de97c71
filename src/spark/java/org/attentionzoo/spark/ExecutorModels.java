package org.attentionzoo.spark;

import org.attentionzoo.AttentionZoo;
import org.attentionzoo.data.TeacherForcingIterator;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The models an executor JVM has loaded, by the SHA-256 of their model.zip, and one {@link Translator} per model
 * and decoding: each JVM loads a shipped model once, on its first task, and every later task (of any job, any
 * thread) reuses it. A Translator is safe for concurrent use, so the tasks running side by side on an executor's
 * cores share it. Up to {@value #KEPT} models are kept, the least recently used dropped first.
 *
 * <p>This is per-JVM state by design: an executor JVM runs one Spark application. Its first load also applies
 * the zoo's process settings ({@link AttentionZoo#configure()}), as the command line does for its JVM.
 */
final class ExecutorModels {

    static final int KEPT = 4;

    private static final Map<String, TranslationModel> MODELS = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TranslationModel> eldest) {
            return size() > KEPT;
        }
    };
    private static final Map<String, Translator> TRANSLATORS = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Translator> eldest) {
            return size() > KEPT;
        }
    };
    private static final AtomicInteger LOADS = new AtomicInteger();
    private static boolean configured;

    private ExecutorModels() {
    }

    /** The model of {@code shipped}, loaded from its bytes (without optimiser state) the first time. */
    static synchronized TranslationModel model(ShippedModel shipped, boolean withUpdater) {
        String key = shipped.sha256() + (withUpdater ? "+updater" : "");
        TranslationModel m = MODELS.get(key);
        if (m == null) {
            if (!configured) {
                AttentionZoo.configure();
                configured = true;
            }
            byte[] bytes = shipped.bytes();
            if (!ShippedModel.sha256(bytes).equals(shipped.sha256())) {
                throw new IllegalStateException(shipped.name() + ": the broadcast bytes do not match their SHA-256");
            }
            try {
                m = ModelArchive.load(new ByteArrayInputStream(bytes), shipped.name(), withUpdater);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
            LOADS.incrementAndGet();
            MODELS.put(key, m);
        }
        return m;
    }

    /** The translator of {@code shipped} with {@code options}' decoding, made on first use. */
    static synchronized Translator translator(ShippedModel shipped, TranslateOptions options) {
        String key = shipped.sha256() + " " + options;
        Translator t = TRANSLATORS.get(key);
        if (t == null) {
            t = new Translator(model(shipped, false), options.decoding());
            TRANSLATORS.put(key, t);
        }
        return t;
    }

    private static final Map<String, java.util.ArrayDeque<TranslationModel>> REPLICAS = new java.util.HashMap<>();

    /**
     * A training replica of {@code shipped} (with its optimiser state) that no other task uses until it is given
     * back: loaded the first time and whenever all are in use (one per task running at once on this JVM).
     */
    static TranslationModel borrowReplica(ShippedModel shipped) {
        synchronized (REPLICAS) {
            java.util.ArrayDeque<TranslationModel> idle = REPLICAS.get(shipped.sha256());
            if (idle != null && !idle.isEmpty()) {
                return idle.pop();
            }
        }
        synchronized (ExecutorModels.class) {
            if (!configured) {
                AttentionZoo.configure();
                configured = true;
            }
        }
        try {
            TranslationModel m = ModelArchive.load(new ByteArrayInputStream(shipped.bytes()), shipped.name(), true);
            LOADS.incrementAndGet();
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Returns a replica for later tasks of the same run. */
    static void giveBack(ShippedModel shipped, TranslationModel replica) {
        synchronized (REPLICAS) {
            REPLICAS.computeIfAbsent(shipped.sha256(), k -> new java.util.ArrayDeque<>()).push(replica);
        }
    }

    private static final Map<String, TeacherForcingIterator> SHARDS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TeacherForcingIterator> eldest) {
            return size() > 64;
        }
    };

    /**
     * The batches of a training shard made earlier on this JVM (taken out until {@link #keepShard}), or null:
     * tokenizing a shard once per run rather than once per round.
     */
    static TeacherForcingIterator takeShard(ShippedModel shipped, int partition) {
        synchronized (SHARDS) {
            return SHARDS.remove(shipped.sha256() + "#" + partition);
        }
    }

    /** Keeps a shard's batches for the next round. */
    static void keepShard(ShippedModel shipped, int partition, TeacherForcingIterator batches) {
        synchronized (SHARDS) {
            SHARDS.put(shipped.sha256() + "#" + partition, batches);
        }
    }

    /** Drops the replicas of {@code shipped} (the end of its training run). */
    static void dropReplicas(ShippedModel shipped) {
        synchronized (REPLICAS) {
            REPLICAS.remove(shipped.sha256());
        }
    }

    /** How many times this JVM has loaded a model from its bytes (tests: once per model, not per task). */
    static int loads() {
        return LOADS.get();
    }
}
