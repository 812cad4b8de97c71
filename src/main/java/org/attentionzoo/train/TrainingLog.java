package org.attentionzoo.train;

import org.attentionzoo.util.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The training log, {@code training.csv}: a header ({@link LogRow#HEADER}) and one row per logging
 * window or dev evaluation, appended as training runs. When a run resumes from a checkpoint, rows
 * written after that checkpoint (and a last line cut short by a crash) are dropped first, so the log
 * reads as if the run had never stopped. A log of an older version, without the last column
 * ({@link LogRow#HEADER_WITHOUT_EVAL_SECONDS}), is rewritten with the current header, its rows' new cell empty.
 */
final class TrainingLog {

    private final Path file;
    private final List<LogRow> rows;

    private TrainingLog(Path file, List<LogRow> rows) {
        this.file = file;
        this.rows = rows;
    }

    /**
     * Opens the log for appending, keeping the rows up to {@code upToStep}.
     *
     * @throws IOException if the file exists but is not a training log
     */
    static TrainingLog open(Path file, long upToStep) throws IOException {
        List<LogRow> rows = new ArrayList<>();
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            boolean older = !lines.isEmpty() && lines.get(0).equals(LogRow.HEADER_WITHOUT_EVAL_SECONDS);
            if (lines.isEmpty() || !(older || lines.get(0).equals(LogRow.HEADER))) {
                throw new IOException(file + ": not a training log (its first line is not \"" + LogRow.HEADER
                        + "\"); move it away or use a new folder");
            }
            boolean cut = false;
            for (String line : lines.subList(1, lines.size())) {
                try {
                    LogRow row = LogRow.parse(line);
                    if (row.step() <= upToStep) {
                        rows.add(row);
                        continue;
                    }
                } catch (IllegalArgumentException e) {
                    // a line cut short by a crash
                }
                cut = true;
            }
            boolean unterminated = Files.size(file) > 0 && !endsWithNewline(file);
            if (cut || unterminated || older) {
                rewrite(file, rows);
            }
        } else {
            rewrite(file, rows);
        }
        return new TrainingLog(file, rows);
    }

    /** Appends a row to the file and to {@link #rows()}. */
    void append(LogRow row) throws IOException {
        Files.writeString(file, row.csv() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        rows.add(row);
    }

    /** Every row in the log, the earlier sessions' included. */
    List<LogRow> rows() {
        return List.copyOf(rows);
    }

    private static void rewrite(Path file, List<LogRow> rows) throws IOException {
        StringBuilder text = new StringBuilder(LogRow.HEADER).append('\n');
        rows.forEach(r -> text.append(r.csv()).append('\n'));
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
            ch.read(last, ch.size() - 1);
            return last.get(0) == '\n';
        }
    }
}
