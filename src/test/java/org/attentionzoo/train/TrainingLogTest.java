package org.attentionzoo.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** training.csv: columns, empty cells for what was not measured, and trimming on resume. */
class TrainingLogTest {

    @TempDir
    Path dir;

    @Test
    void rowsRoundTripWithEmptyCellsForUnmeasuredValues() {
        LogRow row = new LogRow(200, 3, 12.345, 1.234567, 5432.1, Double.NaN, Double.NaN, 0.001);
        assertEquals("200,3,12.3,1.23457,5432,,,0.00100000", row.csv());
        LogRow back = LogRow.parse(row.csv());
        assertEquals(200, back.step());
        assertEquals(1.23457, back.trainLoss(), 1e-12);
        assertTrue(Double.isNaN(back.devBleu()));
        assertThrows(IllegalArgumentException.class, () -> LogRow.parse("200,3,12.3,1.2"));
    }

    @Test
    void resumingDropsRowsAfterTheCheckpointAndALineCutShort() throws IOException {
        Path file = dir.resolve("training.csv");
        Files.writeString(file, LogRow.HEADER + "\n"
                + "5,1,1.0,2.00000,100,,,0.0100000\n"
                + "10,1,2.0,1.50000,100,12.50,30.00,0.0100000\n"
                + "15,2,3.0,1.2");
        TrainingLog log = TrainingLog.open(file, 10);
        assertEquals(List.of(5L, 10L), log.rows().stream().map(LogRow::step).toList());
        log.append(new LogRow(15, 2, 3.5, 1.25, 90, Double.NaN, Double.NaN, 0.01));
        assertEquals(List.of(LogRow.HEADER, "5,1,1.0,2.00000,100,,,0.0100000", "10,1,2.0,1.50000,100,12.50,30.00,0.0100000",
                "15,2,3.5,1.25000,90,,,0.0100000"), Files.readAllLines(file));

        TrainingLog earlier = TrainingLog.open(file, 5);
        assertEquals(1, earlier.rows().size());
        assertEquals(2, Files.readAllLines(file).size(), "rows after the checkpoint are gone from the file too");
    }

    @Test
    void aFileThatIsNotATrainingLogIsRefused() throws IOException {
        Path file = dir.resolve("training.csv");
        Files.writeString(file, "name,score\nx,1\n");
        IOException e = assertThrows(IOException.class, () -> TrainingLog.open(file, 0));
        assertTrue(e.getMessage().contains("training.csv") && e.getMessage().contains("not a training log"));
        assertEquals("name,score\nx,1\n", Files.readString(file));
    }
}
