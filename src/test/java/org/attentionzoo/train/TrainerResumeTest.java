package org.attentionzoo.train;

import org.attentionzoo.TinyModels;
import org.attentionzoo.data.ReverseTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.RnnAttention;
import org.attentionzoo.models.Seq2Seq;
import org.attentionzoo.models.Transformer;
import org.attentionzoo.models.TranslationModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run killed between checkpoints and started again on the same folder ends bitwise where an
 * uninterrupted run ends: same parameters, optimiser state, log and kept model.
 */
class TrainerResumeTest {

    static final ReverseTask TASK = new ReverseTask(6, 2, 4);
    static final List<SentencePair> TRAIN = TASK.generate(96, 3);
    static final List<SentencePair> DEV = TASK.generate(12, 4);

    @TempDir
    Path dir;

    /** Crashes the run (as kill -9 would, without a final save) after a given step. */
    static final class Crash extends RuntimeException {
        Crash(long step) {
            super("crash after step " + step);
        }
    }

    private static Trainer.Builder run(TranslationModel model, Path out, long steps) {
        return Trainer.builder().model(model).data(TrainingData.batches(model, TRAIN, 16, 20, 7))
                .maxSteps(steps).dev(DEV).evalEvery(5).logEvery(5).out(out)
                .runIdentity(Map.of("corpusSha256", TrainingData.sha256(TRAIN)));
    }

    private static Progress crashAfter(long step) {
        return new Progress() {
            @Override
            public void step(ProgressEvent e) {
                if (e.step() == step) {
                    throw new Crash(step);
                }
            }

            @Override
            public void message(String line) {
            }
        };
    }

    private void resumesOntoTheUninterruptedPath(ModelCard card) throws IOException {
        Path whole = dir.resolve("whole");
        TranslationModel a = TinyModels.untrained(card, TASK, TRAIN);
        TrainingSummary sa = run(a, whole, 14).build().train();
        assertEquals(14, sa.steps());
        assertEquals(2, sa.epochs(), "6 batches an epoch: the run crosses two epoch ends");

        Path broken = dir.resolve("broken");
        TranslationModel b = TinyModels.untrained(card, TASK, TRAIN);
        assertThrows(Crash.class, () -> run(b, broken, 14).progress(crashAfter(8)).build().train());
        assertEquals("5", ModelArchive.trainingState(broken.resolve("last.zip")).get("step"),
                "the crash lost the steps after the last checkpoint");

        TranslationModel c = TinyModels.untrained(card, TASK, TRAIN);   // a new process: fresh objects
        TrainingSummary sc = run(c, broken, 14).build().train();
        assertEquals(5, sc.resumedAtStep());
        assertEquals(14, sc.steps());
        assertEquals(sa.epochs(), sc.epochs());
        assertEquals(sa.bestBleu(), sc.bestBleu());
        assertEquals(sa.bestStep(), sc.bestStep());
        assertEquals(sa.lastLoss(), sc.lastLoss());

        INDArray pa = a.graph().params();
        INDArray pc = c.graph().params();
        assertArrayEquals(pa.toFloatVector(), pc.toFloatVector(), "parameters, bitwise");
        assertArrayEquals(a.graph().getUpdater().getStateViewArray().toFloatVector(),
                c.graph().getUpdater().getStateViewArray().toFloatVector(), "Adam's moments, bitwise");
        assertEquals(a.graph().getConfiguration().getIterationCount(), c.graph().getConfiguration().getIterationCount());
        assertArrayEquals(ModelArchive.load(whole.resolve("model.zip")).graph().params().toFloatVector(),
                ModelArchive.load(broken.resolve("model.zip")).graph().params().toFloatVector(), "the kept model");
        assertEquals(measured(whole), measured(broken), "the log, apart from timings");
    }

    /** The log's step, epoch, loss and dev columns (timings differ from run to run). */
    private static List<String> measured(Path out) throws IOException {
        return Files.readAllLines(out.resolve("training.csv")).stream().skip(1).map(line -> {
            String[] c = line.split(",", -1);
            return c[0] + "," + c[1] + "," + c[3] + "," + c[5] + "," + c[6];
        }).toList();
    }

    @Test
    void seq2seqResumesBitwise() throws IOException {
        resumesOntoTheUninterruptedPath(Seq2Seq.builder().embeddingSize(8).hiddenSize(12).build());
    }

    @Test
    void attentionModelResumesBitwise() throws IOException {
        resumesOntoTheUninterruptedPath(RnnAttention.builder().embeddingSize(8).hiddenSize(12).attentionSize(8)
                .build());
    }

    @Test
    void transformerWithDropoutInsideItsLayersResumesBitwise() throws IOException {
        // The residual and attention dropout masks come from ND4J's generator, which the trainer seeds per step.
        resumesOntoTheUninterruptedPath(Transformer.builder().embeddingSize(8).hiddenSize(8).heads(2).ffSize(16)
                .dropout(0.2).attentionDropout(0.1).maxGradNorm(1.0).build());
    }

    @Test
    void tiedAttentionModelResumesBitwise() throws IOException {
        // The checkpoint holds the tied copies and the copy's zero Adam state; the trainer's tie listener is back.
        resumesOntoTheUninterruptedPath(RnnAttention.builder().embeddingSize(12).hiddenSize(12).attentionSize(8)
                .maxGradNorm(1.0).tieEmbeddings(ModelCard.Tie.DECODER).build());
    }

    @Test
    void modelWithGlobalNormClippingResumesBitwise() throws IOException {
        resumesOntoTheUninterruptedPath(RnnAttention.builder().embeddingSize(8).hiddenSize(12).attentionSize(8)
                .maxGradNorm(0.05).build());
    }

    @Test
    void globalNormClippingChangesTheUpdatesAndIsRemovedAfterTraining() {
        // Guard for the test above: a threshold this low scales this model's gradients down (by varying
        // factors; Adam would hide a constant one), so the clipped run ends elsewhere than the unclipped one.
        // The trainer leaves the graph's listeners as it found them.
        ModelCard plain = RnnAttention.builder().embeddingSize(8).hiddenSize(12).attentionSize(8).build();
        TranslationModel a = TinyModels.untrained(plain, TASK, TRAIN);
        TranslationModel b = TinyModels.untrained(plain.toBuilder().maxGradNorm(0.05).build(), TASK, TRAIN);
        assertEquals(a.graph().params(), b.graph().params());
        Trainer.builder().model(a).data(TrainingData.batches(a, TRAIN, 16, 20, 7)).maxSteps(6).build().train();
        Trainer.builder().model(b).data(TrainingData.batches(b, TRAIN, 16, 20, 7)).maxSteps(6).build().train();
        assertTrue(a.graph().params().sub(b.graph().params()).amaxNumber().doubleValue() > 1e-4);
        assertTrue(b.graph().getListeners().isEmpty(), "listeners after training: " + b.graph().getListeners());
    }

    @Test
    void resumingChangesTheOutcomeWithoutTheCheckpointedDataPosition() throws IOException {
        // Guard against a test that cannot fail: two runs that differ only in the data order end apart.
        ModelCard card = Seq2Seq.builder().embeddingSize(8).hiddenSize(12).build();
        TranslationModel a = TinyModels.untrained(card, TASK, TRAIN);
        TranslationModel b = TinyModels.untrained(card, TASK, TRAIN);
        Trainer.builder().model(a).data(TrainingData.batches(a, TRAIN, 16, 20, 7)).maxSteps(6).build().train();
        Trainer.builder().model(b).data(TrainingData.batches(b, TRAIN, 16, 20, 8)).maxSteps(6).build().train();
        assertTrue(a.graph().params().sub(b.graph().params()).amaxNumber().doubleValue() > 1e-4);
    }
}
