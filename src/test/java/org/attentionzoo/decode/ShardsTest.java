package org.attentionzoo.decode;

import org.attentionzoo.decode.step.StepModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardsTest {

    private static int[][] sources(int n) {
        int[][] s = new int[n][];
        for (int i = 0; i < n; i++) {
            s[i] = new int[]{4 + i % 2, 5, 4 + (i * 7) % 2};
        }
        return s;
    }

    @Test
    void shardsDecodeAsOneBatchDoes() {
        int[][] src = sources(11);
        List<StepModel> models = List.of(TableStepModel.random(3), TableStepModel.random(3), TableStepModel.random(3));
        int[][] alone = new GreedyDecoder(TableStepModel.random(3), LengthLimit.DEFAULT).decode(src);
        List<int[]> sharded = Shards.decode(src, models,
                (m, shard) -> List.of(new GreedyDecoder(m, LengthLimit.DEFAULT).decode(shard)));
        assertEquals(11, sharded.size());
        for (int i = 0; i < 11; i++) {
            assertArrayEquals(alone[i], sharded.get(i), "sentence " + i);
        }
        List<List<Hypothesis>> beamAlone = new BeamSearch(TableStepModel.random(3), 3, 2, 0.6, LengthLimit.DEFAULT)
                .search(src);
        List<List<Hypothesis>> beamSharded = Shards.decode(src, models,
                (m, shard) -> new BeamSearch(m, 3, 2, 0.6, LengthLimit.DEFAULT).search(shard));
        for (int i = 0; i < 11; i++) {
            assertEquals(beamAlone.get(i).size(), beamSharded.get(i).size());
            for (int k = 0; k < beamAlone.get(i).size(); k++) {
                assertArrayEquals(beamAlone.get(i).get(k).tokens(), beamSharded.get(i).get(k).tokens());
                assertEquals(beamAlone.get(i).get(k).score(), beamSharded.get(i).get(k).score(), 0.0);
            }
        }
    }

    @Test
    void eachShardHasItsOwnModelAndThreadAndContiguousSentences() {
        int[][] src = sources(7);
        List<StepModel> models = List.of(TableStepModel.random(1), TableStepModel.random(1), TableStepModel.random(1));
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, Thread> threads = new ConcurrentHashMap<>();
        List<int[]> out = Shards.decode(src, models, (m, shard) -> {
            seen.add(models.indexOf(m) + ":" + shard.length);
            threads.put(models.indexOf(m), Thread.currentThread());
            return Arrays.asList(shard);
        });
        for (int i = 0; i < 7; i++) {
            assertSame(src[i], out.get(i), "order kept");
        }
        assertEquals(Set.of("0:2", "1:2", "2:3"), new HashSet<>(seen), "shards of 7/3: [0,2) [2,4) [4,7)");
        assertSame(Thread.currentThread(), threads.get(0), "the first shard runs on the caller's thread");
        assertTrue(threads.get(1) != Thread.currentThread() && threads.get(2) != Thread.currentThread(),
                "the others on worker threads");

        List<String> few = Collections.synchronizedList(new ArrayList<>());
        Shards.decode(sources(2), models, (m, shard) -> {
            few.add(models.indexOf(m) + ":" + shard.length);
            return Arrays.asList(shard);
        });
        assertEquals(Set.of("0:1", "1:1"), new HashSet<>(few), "no more shards than sentences");
    }

    @Test
    void aShardsFailureReachesTheCaller() {
        List<StepModel> models = List.of(TableStepModel.random(1), TableStepModel.random(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Shards.decode(sources(4), models,
                (m, shard) -> {
                    if (m == models.get(1)) {
                        throw new IllegalStateException("broken shard");
                    }
                    return Arrays.asList(shard);
                }));
        assertEquals("broken shard", e.getMessage());
    }

    @Test
    void batchesGoWholeToTheModelsWhenThereAreEnoughElseInShards() {
        List<StepModel> models = List.of(TableStepModel.random(2), TableStepModel.random(2));
        List<int[][]> batches = List.of(sources(3), sources(5), sources(1), sources(4), sources(2));
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, Set<Integer>> modelsOfBatch = new ConcurrentHashMap<>();
        List<List<int[]>> out = Shards.decodeBatches(batches, models, (m, b, sources) -> {
            calls.add(b + ":" + sources.length);
            modelsOfBatch.computeIfAbsent(b, x -> ConcurrentHashMap.newKeySet()).add(models.indexOf(m));
            return Arrays.asList(new GreedyDecoder(m, LengthLimit.DEFAULT).decode(sources));
        });
        assertEquals(Set.of("0:3", "1:5", "2:1", "3:4", "4:2"), new HashSet<>(calls), "every batch whole, once");
        assertEquals(5, calls.size());
        assertTrue(Set.of("4:2", "3:4").contains(calls.get(0)), "the last batches are taken first: " + calls);
        for (int b = 0; b < batches.size(); b++) {
            int[][] expected = new GreedyDecoder(TableStepModel.random(2), LengthLimit.DEFAULT).decode(batches.get(b));
            assertArrayEquals(expected, out.get(b).toArray(int[][]::new), "batch " + b + " in its place");
            assertEquals(1, modelsOfBatch.get(b).size(), "one model per batch");
        }

        List<String> sharded = Collections.synchronizedList(new ArrayList<>());
        List<List<int[]>> one = Shards.decodeBatches(List.<int[][]>of(sources(6)), models, (m, b, sources) -> {
            sharded.add(b + ":" + sources.length);
            return Arrays.asList(sources);
        });
        assertEquals(Set.of("0:3"), new HashSet<>(sharded), "a single batch in two shards of 3");
        assertEquals(2, sharded.size());
        assertEquals(6, one.get(0).size());
    }
}
