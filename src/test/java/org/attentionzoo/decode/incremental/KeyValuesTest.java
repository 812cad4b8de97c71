package org.attentionzoo.decode.incremental;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link KeyValues#appendRows}: a beam's cache after one more step, in one pass, equals the parents' rows gathered
 * and the new position appended, element for element (float, made outside any workspace) and in double (gathered
 * and concatenated).
 */
class KeyValuesTest {

    private static final int[] ROWS = {2, 0, 2, 1};

    private static KeyValues random(DataType type, long... shape) {
        return new KeyValues(Nd4j.rand(type, shape), Nd4j.rand(type, shape));
    }

    private static void check(DataType type, boolean fresh) {
        Nd4j.getRandom().setSeed(3);
        KeyValues parents;
        try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            parents = random(type, 3, 2, 4, 5);                               // 3 rows, 2 heads, 4 positions, d_k 5
        }
        KeyValues next = random(type, ROWS.length, 2, 1, 5);
        KeyValues extended = parents.appendRows(ROWS, next);
        assertEquals(fresh, extended.isFresh());
        for (int i = 0; i < ROWS.length; i++) {
            for (int j = 0; j < 2; j++) {
                for (int s = 0; s < 5; s++) {
                    for (int k = 0; k < 5; k++) {
                        double key = s < 4 ? parents.keys().getDouble(ROWS[i], j, s, k) : next.keys().getDouble(i, j, 0, k);
                        double value = s < 4 ? parents.values().getDouble(ROWS[i], j, s, k) : next.values().getDouble(i, j, 0, k);
                        assertEquals(key, extended.keys().getDouble(i, j, s, k), 0.0);
                        assertEquals(value, extended.values().getDouble(i, j, s, k), 0.0);
                    }
                }
            }
        }
        KeyValues identity = parents.appendRows(new int[]{0, 1, 2}, random(type, 3, 2, 1, 5));
        assertEquals(parents.keys(), identity.keys().get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4),
                org.nd4j.linalg.indexing.NDArrayIndex.all()));
    }

    @Test
    void floatCachesAreGatheredAndExtendedInOnePassOutsideWorkspaces() {
        check(DataType.FLOAT, true);
    }

    @Test
    void doubleCachesAreGatheredAndConcatenatedInTheCurrentWorkspace() {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(IncrementalStepModel.STEP_MEMORY,
                "key-values-test")) {
            check(DataType.DOUBLE, false);
        }
    }

    @Test
    void mismatchedShapesAndRowsOutsideTheCacheAreRefused() {
        KeyValues parents = random(DataType.FLOAT, 3, 2, 4, 5);
        assertThrows(IllegalArgumentException.class, () -> parents.appendRows(new int[]{3}, random(DataType.FLOAT, 1, 2, 1, 5)));
        assertThrows(IllegalArgumentException.class, () -> parents.appendRows(new int[]{0}, random(DataType.FLOAT, 1, 2, 1, 4)));
        assertFalse(parents.keys().wasClosed());
        assertEquals(4, parents.length());
    }
}
