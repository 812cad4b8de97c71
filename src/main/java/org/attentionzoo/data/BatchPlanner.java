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
        for (int start = 0; start < n; start += batchSize) {
            int size = Math.min(batchSize, n - start);
            int[] batch = new int[size];
            for (int j = 0; j < size; j++) {
                batch[j] = order[start + j];
            }
            batches.add(batch);
        }
        if (shuffle) {
            Collections.shuffle(batches, random);
        }
        return batches;
    }
}
