package org.attentionzoo.decode;

import org.attentionzoo.util.Threads;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
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

    /** Sentences [n·s/k, n·(s+1)/k) of n. */
    private static int[][] shard(int[][] sources, int s, int k) {
        int n = sources.length;
        return Arrays.copyOfRange(sources, (int) ((long) n * s / k), (int) ((long) n * (s + 1) / k));
    }
}
