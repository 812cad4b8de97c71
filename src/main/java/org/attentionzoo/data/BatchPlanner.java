package org.attentionzoo.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Decides which examples go into which batch, and in which order, for one epoch.
 *
 * <p>With shuffling, the example order is shuffled by a {@link Random} seeded from the seed and the
 * epoch number (so the same seed and epoch always give the same plan, and epochs differ). With
 * bucketing, the (shuffled) order is cut into pools of {@code poolBatches * batchSize} examples
 * and each pool is sorted by source length, then target length (stable sort, so ties keep the
 * shuffled order); batches are then consecutive runs of a pool and hold examples of similar
 * length, which keeps padding small. Finally, with shuffling, the order of the batches is
 * shuffled. The last batch may be smaller than {@code batchSize}.
 *
 * <p>With a token cap, a batch also ends before it would hold more than {@code maxTokens} padded
 * positions: {@code size · max(width)}, where an example's width is the longer of its source and its
 * target plus one (the decoder's extra step). Training memory grows with the largest batch, so the cap
 * bounds it; batches of short sentences still hold {@code batchSize} examples. A single example wider than
 * the cap makes a batch of its own.
 */
final class BatchPlanner {

    private BatchPlanner() {
    }

    /** The seed of the random generator for {@code epoch}. */
    static long epochSeed(long seed, int epoch) {
        return seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + epoch;
    }

    /**
     * Plans one epoch.
     *
     * @param sourceLengths source length of each example
     * @param targetLengths target length of each example
     * @return the batches, each an array of example indices
     */
    static List<int[]> plan(int[] sourceLengths, int[] targetLengths, int batchSize, boolean shuffle,
                            boolean bucketing, int poolBatches, long seed, int epoch) {
        return plan(sourceLengths, targetLengths, batchSize, 0, shuffle, bucketing, poolBatches, seed, epoch);
    }

    /**
     * Plans one epoch with a token cap.
     *
     * @param maxTokens the most padded positions per batch (see the class comment); 0 for no cap
     */
    static List<int[]> plan(int[] sourceLengths, int[] targetLengths, int batchSize, int maxTokens, boolean shuffle,
                            boolean bucketing, int poolBatches, long seed, int epoch) {
        int n = sourceLengths.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(epochSeed(seed, epoch));
        if (shuffle) {
            Collections.shuffle(Arrays.asList(order), random);
        }
        if (bucketing) {
            Comparator<Integer> byLength = Comparator.<Integer>comparingInt(i -> sourceLengths[i])
                    .thenComparingInt(i -> targetLengths[i]);
            long pool = (long) poolBatches * batchSize;
            for (int start = 0; start < n; start += (int) Math.min(pool, n - start)) {
                int end = (int) Math.min(n, start + pool);
                Arrays.sort(order, start, end, byLength);
            }
        }
        List<int[]> batches = new ArrayList<>((n + batchSize - 1) / batchSize);
        for (int start = 0; start < n; ) {
            int size = 0;
            int width = 0;
            while (start + size < n && size < batchSize) {
                int e = order[start + size];
                int w = Math.max(width, Math.max(sourceLengths[e], targetLengths[e] + 1));
                if (maxTokens > 0 && size > 0 && (long) (size + 1) * w > maxTokens) {
                    break;
                }
                width = w;
                size++;
            }
            int[] batch = new int[size];
            for (int j = 0; j < size; j++) {
                batch[j] = order[start + j];
            }
            batches.add(batch);
            start += size;
        }
        if (shuffle) {
            Collections.shuffle(batches, random);
        }
        return batches;
    }
}
