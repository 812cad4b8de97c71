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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Averaging checkpoints gives the exact element-wise mean, refuses other models, and a run keeps its last ones. */
class CheckpointAverageTest {

    static final ReverseTask TASK = new ReverseTask(6, 2, 4);
    static final List<SentencePair> TRAIN = TASK.generate(48, 3);
    static final ModelCard CARD = Seq2Seq.builder().embeddingSize(4).hiddenSize(6).build();

    @TempDir
    Path dir;

    /** Saves a model of {@link #CARD} whose parameter i is {@code value(i)}. */
    private Path handMade(String name, IntToDoubleFunction value) throws IOException {
        TranslationModel m = TinyModels.untrained(CARD, TASK, TRAIN);
        INDArray p = m.graph().params();
        float[] v = new float[(int) p.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) value.applyAsDouble(i);
        }
        m.graph().setParams(Nd4j.create(v, p.shape()).castTo(p.dataType()));
        Path file = dir.resolve(name);
        ModelArchive.save(m, file);
        return file;
    }

    @Test
    void twoModelsAverageToTheirElementWiseMean() throws IOException {
        Path a = handMade("a.zip", i -> 0.5 * i);
        Path b = handMade("b.zip", i -> 3 - 0.25 * i);
        TranslationModel avg = CheckpointAverage.average(List.of(a, b));
        INDArray p = avg.graph().params();
        // (0.5 i + 3 - 0.25 i) / 2 = 1.5 + 0.125 i, exact in float for these sizes
        assertEquals(1.5, p.getDouble(0), 0);
        assertEquals(1.625, p.getDouble(1), 0);
        assertEquals(2.75, p.getDouble(10), 0);
        for (int i = 0; i < p.length(); i++) {
            assertEquals(1.5 + 0.125 * i, p.getDouble(i), 0, "parameter " + i);
        }
        assertEquals("a.zip,b.zip", avg.provenance().get("averagedFrom"));
        assertEquals(CARD, avg.card());
    }

    @Test
    void threeModelsAverageToTheirMean() throws IOException {
        TranslationModel avg = CheckpointAverage.average(List.of(handMade("a.zip", i -> 1), handMade("b.zip", i -> 2),
                handMade("c.zip", i -> i % 2 == 0 ? 6 : -6)));
        INDArray p = avg.graph().params();
        assertEquals(3, p.getDouble(0), 0);     // (1 + 2 + 6) / 3
        assertEquals(-1, p.getDouble(1), 0);    // (1 + 2 - 6) / 3
    }

    @Test
    void modelsOfAnotherCardOrVocabularyAreRefusedNamingTheFile() throws IOException {
        Path a = handMade("a.zip", i -> 1);
        TranslationModel wider = TinyModels.untrained(Seq2Seq.builder().embeddingSize(4).hiddenSize(8).build(), TASK, TRAIN);
        Path w = dir.resolve("wider.zip");
        ModelArchive.save(wider, w);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CheckpointAverage.average(List.of(a, w)));
        assertTrue(e.getMessage().startsWith(w + ": not the same model as " + a + " (card "), e.getMessage());

        ReverseTask other = new ReverseTask(9, 2, 4);
        TranslationModel words = TinyModels.untrained(CARD, other, other.generate(48, 3));
        Path v = dir.resolve("vocab.zip");
        ModelArchive.save(words, v);
        e = assertThrows(IllegalArgumentException.class, () -> CheckpointAverage.average(List.of(a, v)));
        assertTrue(e.getMessage().startsWith(v + ": not the same model as " + a + " (other vocabularies)"), e.getMessage());
    }

    @Test
    void aRunKeepsItsLastCheckpointsAndTheFinalStep() throws IOException {
        TranslationModel m = TinyModels.untrained(CARD, TASK, TRAIN);
        Path out = dir.resolve("run");
        Trainer.builder().model(m).data(TrainingData.batches(m, TRAIN, 16, 20, 7)).maxSteps(7).checkpointEvery(2)
                .keepCheckpoints(2).out(out).build().train();
        List<Path> kept = CheckpointAverage.lastCheckpoints(out, 5);
        assertEquals(List.of(out.resolve("ckpt-6.zip"), out.resolve("ckpt-7.zip")), kept);
        assertEquals(List.of(out.resolve("ckpt-7.zip")), CheckpointAverage.lastCheckpoints(out, 1));
        TranslationModel last = ModelArchive.load(kept.get(1), false);
        assertArrayEquals(m.graph().params().toFloatVector(), last.graph().params().toFloatVector(), 0f,
                "the final step's checkpoint is the trained model");
        IOException none = assertThrows(IOException.class, () -> CheckpointAverage.lastCheckpoints(dir, 5));
        assertTrue(none.getMessage().startsWith(dir + ": no kept checkpoints"), none.getMessage());
    }
}
