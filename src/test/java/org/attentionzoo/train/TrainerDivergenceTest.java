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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * An absurd learning rate makes every family diverge at once; the trainer says so, at which step, and
 * leaves the last good checkpoint as it was.
 */
class TrainerDivergenceTest {

    static final ReverseTask TASK = new ReverseTask(6, 2, 4);
    static final List<SentencePair> PAIRS = TASK.generate(48, 3);

    @TempDir
    Path dir;

    private void divergesAtOnceKeepingTheCheckpoint(ModelCard.Builder card) throws IOException {
        TranslationModel model = TinyModels.untrained(card.embeddingSize(8).hiddenSize(8).learningRate(1e30).build(),
                TASK, PAIRS);
        INDArray initial = model.graph().params().dup();
        Path out = dir.resolve(model.card().family().name());
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> Trainer.builder()
                .model(model).data(TrainingData.batches(model, PAIRS, 16, 20, 1)).maxSteps(20).checkpointEvery(1)
                .out(out).build().train());
        assertEquals(1, e.step());
        assertEquals(out.resolve("last.zip"), e.checkpoint());
        assertEquals(0, e.checkpointStep());
        assertTrue(e.getMessage().matches("training diverged at step 1: a parameter has grown to \\S+; the last good"
                + " checkpoint is \\S+last\\.zip \\(step 0\\); lower the learning rate or clip gradients \\(maxGradNorm\\)"
                + " in the model card"), e.getMessage());
        TranslationModel kept = ModelArchive.load(out.resolve("last.zip"));
        assertEquals(initial, kept.graph().params(), "last.zip holds the step-0 parameters");
        assertEquals("0", ModelArchive.trainingState(out.resolve("last.zip")).get("step"));
        assertFalse(Files.exists(out.resolve("model.zip")), "no model.zip from a diverged run");
    }

    @Test
    void seq2seqWithAnAbsurdLearningRateDiverges() throws IOException {
        divergesAtOnceKeepingTheCheckpoint(Seq2Seq.builder());
    }

    @Test
    void attentionWithAnAbsurdLearningRateDiverges() throws IOException {
        divergesAtOnceKeepingTheCheckpoint(RnnAttention.builder().attentionSize(4));
    }

    @Test
    void transformerWithAnAbsurdLearningRateDiverges() throws IOException {
        divergesAtOnceKeepingTheCheckpoint(Transformer.builder().heads(2).ffSize(8).encoderLayers(1).decoderLayers(1));
    }

    @Test
    void withoutAnOutputFolderNothingIsSaved() {
        TranslationModel model = TinyModels.untrained(Seq2Seq.builder().embeddingSize(8).hiddenSize(8)
                .learningRate(1e30).build(), TASK, PAIRS);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> Trainer.builder()
                .model(model).data(TrainingData.batches(model, PAIRS, 16, 20, 1)).maxSteps(20).build().train());
        assertNull(e.checkpoint());
        assertTrue(e.getMessage().contains("; nothing was saved;"), e.getMessage());
    }

    @Test
    void anOrdinaryLearningRateDoesNotTripTheCheck() {
        TranslationModel model = TinyModels.untrained(Seq2Seq.builder().embeddingSize(8).hiddenSize(8)
                .learningRate(0.01).build(), TASK, PAIRS);
        TrainingSummary s = Trainer.builder().model(model).data(TrainingData.batches(model, PAIRS, 16, 20, 1))
                .maxSteps(12).build().train();
        assertEquals(12, s.steps());
    }
}
