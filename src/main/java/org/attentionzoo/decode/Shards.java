package org.attentionzoo.decode;

import org.attentionzoo.decode.step.StepModel;
import org.attentionzoo.util.Threads;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * Decodes one batch as k contiguous shards of its sentences on k threads ({@link Threads#parallel}), each
 * shard with its own {@link StepModel}, and returns the results in the batch's order. Greedy decoding and
 * beam search treat sentences independently, so the output is the one-thread output exactly; what changes is
 * that k cores work on the batch (a decoding step is a chain of small operations, which gain little from
 * ND4J's threads inside one operation, see {@link Threads}).
 *
 * <p>Each shard has a step model of its own because step models keep per-instance state between calls;
 * they share the graph, whose parameters decoding only reads (encoder passes through the graph take turns,
 * see {@code EncoderPass}).
 */
public final class Shards {

    private Shards() {
    }

    /**
     * {@code decode} applied to contiguous shards of {@code sources}, one per model (fewer when there are
     * fewer sentences), the first on the calling thread; the shards' results concatenated in order.
     *
     * @param models one step model per shard, none used by another thread while this runs
     * @param decode decodes the sources of one shard with the shard's model; one result per source
     */
    public static <R> List<R> decode(int[][] sources, List<StepModel> models,
                                     BiFunction<StepModel, int[][], List<R>> decode) {
        int k = Math.min(models.size(), sources.length);
        if (k <= 1) {
            return decode.apply(models.get(0), sources);
        }
        List<List<R>> results = new ArrayList<>(Collections.nCopies(k, null));
        Threads.parallel(k, s -> results.set(s, decode.apply(models.get(s), shard(sources, s, k))));
        List<R> out = new ArrayList<>(sources.length);
        results.forEach(out::addAll);
        return out;
    }

    /**
     * {@code decode} applied to each of many batches, the results in the batches' order. With at least as many
     * batches as models, each model's thread takes whole batches, one after another, while the other threads do
     * the same ({@link Threads#parallel}); with fewer, each batch is sharded ({@link #decode}). Whole batches
     * keep the matrix products at the batch's size and need no meeting point per batch: two shards of one batch
     * on two cores slow each other down, so whole batches side by side decode more sentences per second. The
     * threads take the batches last first: callers order them shortest first ({@code Translator}), so the
     * longest start at once and short ones fill the end, where a long batch last would run alone on one core
     * (and each thread's step memory reaches its largest size on its first batch instead of growing batch by batch).
     *
     * @param models one step model per thread, none used by another thread while this runs
     * @param decode decodes batch b (or a shard of it) with a model; one result per source
     * @return per batch, its results
     */
    public static <R> List<List<R>> decodeBatches(List<int[][]> batches, List<StepModel> models, BatchDecoder<R> decode) {
        int k = models.size();
        List<List<R>> results = new ArrayList<>(Collections.nCopies(batches.size(), null));
        if (k <= 1 || batches.size() < k) {
            for (int b = 0; b < batches.size(); b++) {
                int batch = b;
                results.set(b, decode(batches.get(b), models, (model, shard) -> decode.decode(model, batch, shard)));
            }
            return results;
        }
        AtomicInteger next = new AtomicInteger();
        Threads.parallel(k, s -> {
            for (int taken = next.getAndIncrement(); taken < batches.size(); taken = next.getAndIncrement()) {
                int b = batches.size() - 1 - taken;
                results.set(b, decode.decode(models.get(s), b, batches.get(b)));
            }
        });
        return results;
    }

    /** Decodes batch {@code batch} of a {@link #decodeBatches} call, or a shard of it. */
    @FunctionalInterface
    public interface BatchDecoder<R> {
        /** @return one result per source */
        List<R> decode(StepModel model, int batch, int[][] sources);
    }

    /** Shard s of k of the sentences ({@link Threads#shardStart}). */
    private static int[][] shard(int[][] sources, int s, int k) {
        int n = sources.length;
        return Arrays.copyOfRange(sources, (int) Threads.shardStart(n, s, k), (int) Threads.shardStart(n, s + 1, k));
    }
}
