package org.attentionzoo.train;

import org.attentionzoo.TinyModels;
import org.attentionzoo.data.ReverseTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.Seq2Seq;
import org.attentionzoo.models.TranslationModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dev evaluation, early stopping, the output folder's rules and the chart. */
class TrainerWorkflowTest {

    static final ReverseTask TASK = new ReverseTask(6, 2, 4);
    static final List<SentencePair> TRAIN = TASK.generate(64, 3);

    @TempDir
    Path dir;

    private static TranslationModel tiny(double learningRate) {
        ModelCard card = Seq2Seq.builder().embeddingSize(8).hiddenSize(12).learningRate(learningRate).build();
        return TinyModels.untrained(card, TASK, TRAIN);
    }

    @Test
    void stopsAfterPatienceEvaluationsWithoutABetterScoreAndStaysStopped() {
        // A learning rate this small leaves every greedy translation, so every score, as it was.
        TranslationModel m = tiny(1e-12);
        Path out = dir.resolve("run");
        Trainer.Builder b = Trainer.builder().model(m).data(TrainingData.batches(m, TRAIN, 16, 20, 1)).maxSteps(50)
                .dev(TRAIN).devMax(8).evalEvery(1).patience(2).out(out);
        TrainingSummary s = b.build().train();
        assertTrue(s.stoppedEarly());
        assertEquals(3, s.steps(), "best at step 1, then two evaluations without improvement");
        assertEquals(1, s.bestStep());

        TranslationModel again = tiny(1e-12);
        TrainingSummary resumed = Trainer.builder().model(again).data(TrainingData.batches(again, TRAIN, 16, 20, 1))
                .maxSteps(50).dev(TRAIN).devMax(8).evalEvery(1).patience(2).out(out).build().train();
        assertEquals(3, resumed.steps(), "a run that stopped early stays stopped");
        assertTrue(resumed.stoppedEarly());
    }

    @Test
    void withoutADevSetModelZipIsTheLastModelAndTheChartHasOnlyTheLossPanel() throws IOException {
        TranslationModel m = tiny(0.01);
        Path out = dir.resolve("run");
        Trainer.builder().model(m).data(TrainingData.batches(m, TRAIN, 16, 20, 1)).maxSteps(6).logEvery(2)
                .out(out).provenance(Map.of("corpus", "reverse")).build().train();
        assertFalse(Files.exists(out.resolve("best.zip")));
        TranslationModel saved = ModelArchive.load(out.resolve("model.zip"));
        assertEquals(m.graph().params(), saved.graph().params());
        assertEquals("reverse", saved.provenance().get("corpus"));
        assertEquals("6", saved.provenance().get("trainingSteps"));
        assertFalse(saved.provenance().containsKey("devBleu"));
        BufferedImage png = javax.imageio.ImageIO.read(out.resolve("training.png").toFile());
        assertEquals(TrainingChart.WIDTH, png.getWidth());
        assertEquals(TrainingChart.PANEL, png.getHeight(), "one panel: there is no dev BLEU to draw");
    }

    @Test
    void aFolderWithAModelButNoCheckpointIsRefusedAndLeftAlone() throws IOException {
        Path out = dir.resolve("old");
        Files.createDirectories(out);
        Files.writeString(out.resolve("model.zip"), "somebody's model");
        TranslationModel m = tiny(0.01);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Trainer.builder().model(m)
                .data(TrainingData.batches(m, TRAIN, 16, 20, 1)).maxSteps(2).out(out).build().train());
        assertTrue(e.getMessage().contains("model.zip") && e.getMessage().contains("no checkpoint"), e.getMessage());
        assertEquals("somebody's model", Files.readString(out.resolve("model.zip")));
        assertFalse(Files.exists(out.resolve("last.zip")));
    }

    @Test
    void aSecondRunCannotUseTheSameFolder() throws IOException {
        Path out = dir.resolve("run");
        try (RunFolder first = RunFolder.open(out)) {
            IOException e = assertThrows(IOException.class, () -> RunFolder.open(out));
            assertTrue(e.getMessage().contains("another training run"), e.getMessage());
        }
        RunFolder.open(out).close();
    }

    @Test
    void chartDrawsTheLossAndTheDevScorePanels() {
        List<LogRow> rows = List.of(new LogRow(10, 1, 1, 3.0, 100, 5.0, 20, 0.001),
                new LogRow(20, 1, 2, 2.0, 100, Double.NaN, Double.NaN, 0.001),
                new LogRow(30, 2, 3, 1.0, 100, 15.0, 40, 0.001));
        BufferedImage image = TrainingChart.draw(rows);
        assertEquals(2 * TrainingChart.PANEL, image.getHeight());
        assertTrue(countColour(image, 0, TrainingChart.PANEL, 0x1f77b4) > 50, "loss line in the top panel");
        assertTrue(countColour(image, TrainingChart.PANEL, 2 * TrainingChart.PANEL, 0xd62728) > 50,
                "BLEU line in the bottom panel");
        assertTrue(countColour(image, TrainingChart.PANEL, 2 * TrainingChart.PANEL, 0xff7f0e) > 50,
                "chrF line in the bottom panel");
        assertEquals(0, countColour(image, 0, TrainingChart.PANEL, 0xd62728));
    }

    private static int countColour(BufferedImage image, int fromY, int toY, int rgb) {
        int n = 0;
        for (int y = fromY; y < toY; y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }
}
