package org.attentionzoo.train;

import org.attentionzoo.TinyModels;
import org.attentionzoo.data.ReverseTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.models.Seq2Seq;
import org.attentionzoo.models.TranslationModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** training.csv: columns, empty cells for what was not measured, the dev evaluation's time, trimming on resume. */
class TrainingLogTest {

    @TempDir
    Path dir;

    @Test
    void rowsRoundTripWithEmptyCellsForUnmeasuredValues() {
        LogRow row = new LogRow(200, 3, 12.345, 1.234567, 5432.1, Double.NaN, Double.NaN, 0.001);
        assertEquals("200,3,12.3,1.23457,5432,,,0.00100000,", row.csv());
        LogRow back = LogRow.parse(row.csv());
        assertEquals(200, back.step());
        assertEquals(1.23457, back.trainLoss(), 1e-12);
        assertTrue(Double.isNaN(back.devBleu()));
        assertThrows(IllegalArgumentException.class, () -> LogRow.parse("200,3,12.3,1.2"));

        LogRow eval = new LogRow(500, 2, 70.25, 1.5, 4000, 12.345, 40.5, 0.001, 61.236);
        assertEquals("500,2,70.3,1.50000,4000,12.35,40.50,0.00100000,61.24", eval.csv());
        assertEquals(61.24, LogRow.parse(eval.csv()).devEvalSeconds(), 0);
    }

    @Test
    void anOlderLogWithoutTheEvaluationTimeIsReadAndRewrittenWithTheNewColumnAtTheEnd() throws IOException {
        Path file = dir.resolve("training.csv");
        Files.writeString(file, "step,epoch,seconds,train_loss,tokens_per_s,dev_bleu,dev_chrf,learning_rate\n"
                + "5,1,1.0,2.00000,100,,,0.0100000\n"
                + "10,1,2.0,1.50000,100,12.50,30.00,0.0100000\n");
        TrainingLog log = TrainingLog.open(file, 10);
        assertEquals(12.5, log.rows().get(1).devBleu(), 0);
        assertTrue(Double.isNaN(log.rows().get(1).devEvalSeconds()));
        log.append(new LogRow(15, 2, 3.5, 1.25, 90, 13.0, 31.0, 0.01, 0.5));
        assertEquals(List.of("step,epoch,seconds,train_loss,tokens_per_s,dev_bleu,dev_chrf,learning_rate,dev_eval_seconds",
                "5,1,1.0,2.00000,100,,,0.0100000,", "10,1,2.0,1.50000,100,12.50,30.00,0.0100000,",
                "15,2,3.5,1.25000,90,13.00,31.00,0.0100000,0.50"), Files.readAllLines(file));
    }

    @Test
    void aTrainingRunLogsTheDevEvaluationTimeOnlyOnRowsWithAnEvaluation() throws IOException {
        ReverseTask task = new ReverseTask(6, 2, 4);
        List<SentencePair> train = task.generate(48, 3);
        TranslationModel m = TinyModels.untrained(Seq2Seq.builder().embeddingSize(4).hiddenSize(6).build(), task, train);
        Path out = dir.resolve("run");
        Trainer.builder().model(m).data(TrainingData.batches(m, train, 16, 20, 7)).maxSteps(4).logEvery(2)
                .dev(task.generate(4, 4)).evalEvery(4).out(out).build().train();
        List<String> csv = Files.readAllLines(out.resolve("training.csv"));
        assertEquals(3, csv.size(), String.join("\n", csv));
        String[] plain = csv.get(1).split(",", -1);
        String[] evaluated = csv.get(2).split(",", -1);
        assertEquals(9, plain.length);
        assertEquals("2", plain[0]);
        assertEquals("", plain[8], "no evaluation at step 2");
        assertEquals("4", evaluated[0]);
        double seconds = Double.parseDouble(evaluated[8]);
        assertTrue(seconds >= 0 && seconds <= Double.parseDouble(evaluated[2]), csv.get(2));
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
        assertEquals(List.of(LogRow.HEADER, "5,1,1.0,2.00000,100,,,0.0100000,", "10,1,2.0,1.50000,100,12.50,30.00,0.0100000,",
                "15,2,3.5,1.25000,90,,,0.0100000,"), Files.readAllLines(file));

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
