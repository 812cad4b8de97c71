package org.attentionzoo.io;

import org.attentionzoo.data.CopyTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.decode.Decoding;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.models.GraphNames;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.RnnAttention;
import org.attentionzoo.models.Transformer;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.train.Trainer;
import org.attentionzoo.train.TrainingData;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tied embeddings ({@code all}: source embedding, target embedding and transposed output weights one matrix) after
 * training on two cores ({@code DataParallelGraph}): the copies are equal, the tie survives a released model's
 * save and load bit for bit, the loaded model translates identically, and the incremental decoders (which read the
 * graph's parameter views) give what the teacher-forced graph gives.
 */
class TiedEmbeddingsArchiveTest {

    static final CopyTask TASK = new CopyTask(8, 2, 5);
    static final List<SentencePair> TRAIN = TASK.generate(400, 21);
    static final List<String> SOURCES = TASK.generate(12, 22).stream().map(SentencePair::source).toList();

    @TempDir
    Path dir;

    static TranslationModel trained(ModelCard card, long steps) {
        Vocabulary joint = TrainingData.jointVocabulary(TRAIN, TASK.sourceTokenizer(), TASK.targetTokenizer(), 1, 100);
        TranslationModel model = TranslationModel.create(card, joint, joint, TASK.sourceTokenizer(), TASK.targetTokenizer());
        Trainer.builder().model(model).data(TrainingData.batches(model, TRAIN, 16, 20, 1)).maxSteps(steps).workers(2)
                .build().train();
        return model;
    }

    @Test
    void attentionModel() throws IOException {
        check(RnnAttention.builder().encoder(ModelCard.Encoder.BILSTM_GRAPH).embeddingSize(12).hiddenSize(12)
                .learningRate(0.01).tieEmbeddings(ModelCard.Tie.ALL).build());
    }

    @Test
    void transformer() throws IOException {
        check(Transformer.builder().embeddingSize(12).hiddenSize(12).heads(2).ffSize(24).learningRate(0.003)
                .tieEmbeddings(ModelCard.Tie.ALL).build());
    }

    private void check(ModelCard card) throws IOException {
        TranslationModel model = trained(card, 80);
        assertTied(model.graph());
        assertTrue(model.graph().getListeners().isEmpty(), "the trainer took its listener away");

        // A checkpoint (with Adam's state): saving reads the state and leaves it as it was; loading gives it back.
        INDArray state = model.graph().getUpdater().getStateViewArray().dup();
        Path checkpoint = dir.resolve("checkpoint.zip");
        ModelArchive.save(model, checkpoint, Map.of("step", "80"), true);
        assertEquals(state, model.graph().getUpdater().getStateViewArray());
        TranslationModel resumed = ModelArchive.load(checkpoint, true);
        assertEquals(state, resumed.graph().getUpdater().getStateViewArray());
        assertArrayEquals(model.graph().params().toFloatVector(), resumed.graph().params().toFloatVector());
        assertTied(resumed.graph());

        Path released = dir.resolve("released.zip");
        ModelArchive.save(model, released, Map.of(), false);
        assertTied(model.graph());                                               // saving changed nothing
        ComputationGraph stored = storedGraph(released);
        assertEquals(0.0, stored.getLayer(GraphNames.OUTPUT).getParam("W").amaxNumber().doubleValue(), 0.0,
                "the copies are stored as zeros");
        assertEquals(0.0, stored.getLayer(GraphNames.SOURCE_EMBEDDING).getParam("W").amaxNumber().doubleValue(), 0.0);
        assertEquals(model.graph().getLayer(GraphNames.TARGET_EMBEDDING).getParam("W"),
                stored.getLayer(GraphNames.TARGET_EMBEDDING).getParam("W"), "the tied matrix is stored once");
        TranslationModel loaded = ModelArchive.load(released);
        assertEquals(ModelCard.Tie.ALL, loaded.card().tieEmbeddings());
        assertTrue(loaded.card().toJson().contains("\"tieEmbeddings\" : \"all\""), loaded.card().toJson());
        assertArrayEquals(model.graph().params().toFloatVector(), loaded.graph().params().toFloatVector(), "bitwise");
        assertTied(loaded.graph());

        for (Decoding decoding : List.of(Decoding.greedy(), Decoding.beam(3))) {
            List<String> a = new Translator(model, decoding).translateAll(SOURCES).stream().map(Translation::text).toList();
            List<String> b = new Translator(loaded, decoding).translateAll(SOURCES).stream().map(Translation::text).toList();
            assertEquals(a, b, "the loaded model translates identically");
        }
        decodingIsTheTeacherForcedGraphsArgmax(loaded);
    }

    /** Every token greedy decoding chose, and its end (unless it stopped at the length limit), is the argmax of the graph fed the same prefix. */
    private static void decodingIsTheTeacherForcedGraphsArgmax(TranslationModel model) {
        int decoded = 0;
        int endings = 0;
        for (String source : SOURCES) {
            Translation t = new Translator(model, Decoding.greedy()).translate(source);
            int[] src = model.sourceVocab().encode(model.sourceTokenizer().tokenize(source));
            int[] out = model.targetVocab().encode(t.tokens());
            INDArray s = Nd4j.zeros(DataType.FLOAT, 1, 1, src.length);
            for (int i = 0; i < src.length; i++) {
                s.putScalar(0, 0, i, src[i]);
            }
            INDArray in = Nd4j.zeros(DataType.FLOAT, 1, 1, out.length + 1);
            in.putScalar(0, 0, 0, Vocabulary.BOS_ID);
            for (int i = 0; i < out.length; i++) {
                in.putScalar(0, 0, i + 1, out[i]);
            }
            INDArray probs = model.graph().output(false, new INDArray[]{s, in},
                    new INDArray[]{Nd4j.ones(DataType.FLOAT, 1, src.length), Nd4j.ones(DataType.FLOAT, 1, out.length + 1)})[0];
            boolean ended = out.length < Decoding.greedy().limit().maxTargetLength(src.length);
            for (int i = 0; i < (ended ? out.length + 1 : out.length); i++) {
                int best = Nd4j.argMax(probs.slice(0).getColumn(i)).getInt(0);
                int expected = i < out.length ? out[i] : Vocabulary.EOS_ID;
                assertEquals(expected, best, source + " -> " + t.text() + ", step " + i);
            }
            decoded += out.length;
            endings += ended ? 1 : 0;
        }
        assertTrue(decoded >= SOURCES.size() * 2, "tokens decoded: " + decoded);
        assertTrue(endings >= SOURCES.size() / 2, "translations that ended before the limit: " + endings);
    }

    /** graph.zip of a model file as DL4J's ModelSerializer reads it, without our load's restoring of the copies. */
    private static ComputationGraph storedGraph(Path file) throws IOException {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile());
             java.io.InputStream in = zip.getInputStream(zip.getEntry("graph.zip"))) {
            return org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(in, false);
        }
    }

    static void assertTied(ComputationGraph g) {
        INDArray e = g.getLayer(GraphNames.TARGET_EMBEDDING).getParam("W");
        assertEquals(e, g.getLayer(GraphNames.SOURCE_EMBEDDING).getParam("W"), "source embedding = E");
        assertEquals(e.transpose(), g.getLayer(GraphNames.OUTPUT).getParam("W"), "output weights = Eᵀ");
    }
}
