package org.attentionzoo.decode.incremental;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RowState#detach(java.util.function.Consumer)} reports exactly the copies it makes (the arrays a decoding
 * session then owns and closes when no cached state reads them), and a closed copy leaves the state it came from,
 * and any detached tensor passed through, untouched.
 */
class RowStateDetachTest {

    @Test
    void reportsOnlyTheCopiesOfWorkspaceArrays() {
        INDArray outside = Nd4j.rand(DataType.FLOAT, 3, 4);
        List<INDArray> copies = new ArrayList<>();
        RowState detached;
        INDArray inside;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(IncrementalStepModel.STEP_MEMORY,
                "row-state-detach-test")) {
            inside = Nd4j.rand(DataType.FLOAT, 3, 5);
            RowState state = RowState.builder(3).put("kept", outside).put("step", inside).build();
            detached = state.detach(copies::add);
            assertEquals(inside, detached.get("step"));
        }
        assertEquals(1, copies.size());
        assertSame(copies.get(0), detached.get("step"));
        assertFalse(detached.get("step").isAttached());
        assertSame(outside, detached.get("kept"));                        // not a copy: not reported, never closed

        INDArray expected = detached.get("step").dup();
        assertTrue(copies.get(0).closeable());
        assertEquals(expected, copies.get(0));
        copies.get(0).close();
        assertTrue(copies.get(0).wasClosed());
        assertEquals(12, outside.length());
        assertFalse(outside.wasClosed());
    }
    @Test
    void reportsFreshTensorsAsItsOwnWithoutCopyingThem() {
        INDArray fresh = Nd4j.rand(DataType.FLOAT, 2, 3);
        INDArray passed = Nd4j.rand(DataType.FLOAT, 2, 3);
        List<INDArray> copies = new ArrayList<>();
        RowState detached = RowState.builder(2).putFresh("cache", fresh).put("through", passed).build().detach(copies::add);
        assertEquals(List.of(fresh), copies);
        assertSame(fresh, detached.get("cache"));
        assertSame(passed, detached.get("through"));
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(IncrementalStepModel.STEP_MEMORY,
                "row-state-fresh-test")) {
            INDArray inside = Nd4j.rand(DataType.FLOAT, 2, 3);
            assertThrows(IllegalArgumentException.class, () -> RowState.builder(2).putFresh("cache", inside));
        }
    }
}
