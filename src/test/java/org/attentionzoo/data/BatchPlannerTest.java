package org.attentionzoo.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {

    private static final int[] SRC = {3, 1, 2, 1, 5};
    private static final int[] TGT = {1, 2, 1, 1, 1};

    private static int[][] plan(boolean shuffle, boolean bucketing, int poolBatches, long seed, int epoch) {
        return BatchPlanner.plan(SRC, TGT, 2, shuffle, bucketing, poolBatches, seed, epoch).toArray(new int[0][]);
    }

    @Test
    void noShuffleNoBucketingKeepsOrder() {
        assertArrayEquals(new int[][] {{0, 1}, {2, 3}, {4}}, plan(false, false, 1, 0, 0));
    }

    @Test
    void bucketingSortsWithinPoolsBySourceThenTargetLength() {
        // Pools of 2: {0,1} -> 1,0 ; {2,3} -> 3,2 ; {4}.
        assertArrayEquals(new int[][] {{1, 0}, {3, 2}, {4}}, plan(false, true, 1, 0, 0));
        // One pool: lengths (1,1)=3, (1,2)=1, (2,1)=2, (3,1)=0, (5,1)=4.
        assertArrayEquals(new int[][] {{3, 1}, {2, 0}, {4}}, plan(false, true, 10, 0, 0));
    }

    @Test
    void shuffledPlanCoversEveryExampleOnceAndDependsOnSeedAndEpoch() {
        int[][] a = plan(true, true, 10, 42, 0);
        int[] all = Arrays.stream(a).flatMapToInt(Arrays::stream).sorted().toArray();
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, all);
        List<String> seen = new ArrayList<>();
        for (int epoch = 0; epoch < 6; epoch++) {
            assertEquals(Arrays.deepToString(plan(true, true, 1, 42, epoch)),
                    Arrays.deepToString(plan(true, true, 1, 42, epoch)));
            seen.add(Arrays.deepToString(plan(true, true, 1, 42, epoch)));
        }
        assertNotEquals(1, seen.stream().distinct().count());
    }

    @Test
    void tokenCapEndsBatchesBeforeTheyHoldTooManyPaddedPositions() {
        // widths max(src, tgt + 1): 3, 3, 2, 2, 5. Batch size 4, cap 6 positions, file order:
        // {0,1}: 2 x 3 = 6 fits, adding 2 would make 3 x 3 = 9; {2,3}: 2 x 2 = 4, adding 4 makes 3 x 5 = 15;
        // {4}: 5 alone.
        int[][] capped = BatchPlanner.plan(SRC, TGT, 4, 6, false, false, 1, 0, 0).toArray(new int[0][]);
        assertArrayEquals(new int[][] {{0, 1}, {2, 3}, {4}}, capped);
        // a cap below one example's width still gives it a batch of its own
        assertArrayEquals(new int[][] {{0}, {1}, {2}, {3}, {4}},
                BatchPlanner.plan(SRC, TGT, 4, 1, false, false, 1, 0, 0).toArray(new int[0][]));
        // no cap: batches of 4 and the rest
        assertArrayEquals(new int[][] {{0, 1, 2, 3}, {4}},
                BatchPlanner.plan(SRC, TGT, 4, 0, false, false, 1, 0, 0).toArray(new int[0][]));
    }
}
