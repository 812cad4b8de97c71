package org.attentionzoo.models;

import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.data.WordTokenizer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class VocabularyExtensionTest {

    static final WordTokenizer WORDS = new WordTokenizer();
    static final List<SentencePair> OLD = List.of(pair("a b c", "x y"), pair("b c", "y z"), pair("c a", "z x y"));
    // New tokens: source d 2, e 1; target w 2, v 2, u 1.
    static final List<SentencePair> NEW = List.of(pair("a d e", "w v x"), pair("d b", "v w u"));

    static SentencePair pair(String source, String target) {
        return new SentencePair(source, target, "test");
    }

    static TranslationModel oldModel(ModelCard card) {
        List<List<String>> src = new ArrayList<>();
        List<List<String>> tgt = new ArrayList<>();
        for (SentencePair p : OLD) {
            src.add(WORDS.tokenize(p.source()));
            tgt.add(WORDS.tokenize(p.target()));
        }
        TranslationModel model = TranslationModel.create(card, Vocabulary.build(src, 1, 100), Vocabulary.build(tgt, 1, 100),
                WORDS, WORDS);
        // Move every parameter away from the seeded initialisation, which the extended graph shares: otherwise
        // a parameter that was never copied would still look identical.
        model.graph().params().addi(Nd4j.rand(model.graph().params().dataType(), model.graph().params().shape()).subi(0.5));
        return model;
    }

    @Test
    void seq2seqKeepsOldOutputsAndParameters() {
        check(Seq2Seq.builder().embeddingSize(5).hiddenSize(7).build());
    }

    @Test
    void attentionModelKeepsOldOutputsAndParameters() {
        check(RnnAttention.builder().embeddingSize(4).hiddenSize(6).build());
    }

    private static void check(ModelCard card) {
        TranslationModel old = oldModel(card);
        assertEquals(4 + 3, old.sourceVocab().size());
        assertEquals(4 + 3, old.targetVocab().size());
        TranslationModel ext = VocabularyExtension.extend(old, NEW, 2, 1000);
        assertEquals(List.of("<pad>", "<s>", "</s>", "<unk>", "c", "a", "b", "d"), ext.sourceVocab().tokens());
        assertEquals(List.of("<pad>", "<s>", "</s>", "<unk>", "y", "x", "z", "v", "w"), ext.targetVocab().tokens());
        assertTrue(ext.provenance().get("vocabularyExtension").contains("source 7 -> 8, target 7 -> 9"));

        ComputationGraph g0 = old.graph();
        ComputationGraph g1 = ext.graph();
        for (GraphVertex v : g0.getVertices()) {
            String name = v.getVertexName();
            for (Map.Entry<String, INDArray> e : v.paramTable(false).entrySet()) {
                INDArray before = e.getValue();
                // A c-order copy: interval indexing on DL4J's f-order parameter views is unreliable in M2.1.
                INDArray after = g1.getVertex(name).paramTable(false).get(e.getKey()).dup('c');
                if ((name.endsWith("_embedding") && e.getKey().equals("W"))) {
                    assertEquals(before, after.get(NDArrayIndex.interval(0, before.rows()), NDArrayIndex.all()), name);
                    INDArray fresh = after.get(NDArrayIndex.interval(before.rows(), after.rows()), NDArrayIndex.all());
                    assertTrue(fresh.amaxNumber().doubleValue() > 0 && fresh.amaxNumber().doubleValue() < 1, fresh.toString());
                } else if (name.equals(GraphNames.OUTPUT) && e.getKey().equals("W")) {
                    assertEquals(before, after.get(NDArrayIndex.all(), NDArrayIndex.interval(0, before.columns())), name);
                    INDArray fresh = after.get(NDArrayIndex.all(), NDArrayIndex.interval(before.columns(), after.columns()));
                    assertTrue(fresh.amaxNumber().doubleValue() > 0, "new output columns are initialised");
                } else if (name.equals(GraphNames.OUTPUT) && e.getKey().equals("b")) {
                    assertArrayEquals(new long[]{7}, before.shape(), "DL4J keeps the bias as a vector [nOut]");
                    assertEquals(before, after.get(NDArrayIndex.interval(0, 7)));
                    assertEquals(Nd4j.zeros(after.dataType(), 2), after.get(NDArrayIndex.interval(7, 9)));
                } else {
                    assertEquals(before, after, name + "_" + e.getKey() + " is copied bit for bit");
                }
            }
        }
        assertEquals(0, g1.getUpdater().getStateViewArray().sumNumber().doubleValue(), "the optimiser state starts fresh");

        // Ids of old tokens only: source c a b (4 5 6) with padding, target BOS y x z.
        INDArray src = Nd4j.createFromArray(new float[][][]{{{4, 5, 6}}, {{6, 4, 0}}});
        INDArray srcMask = Nd4j.createFromArray(new float[][]{{1, 1, 1}, {1, 1, 0}});
        INDArray tin = Nd4j.createFromArray(new float[][][]{{{1, 4, 5, 6}}, {{1, 6, 0, 0}}});
        INDArray tMask = Nd4j.createFromArray(new float[][]{{1, 1, 1, 1}, {1, 1, 0, 0}});
        INDArray p0 = g0.output(false, new INDArray[]{src, tin}, new INDArray[]{srcMask, tMask})[0];
        INDArray p1 = g1.output(false, new INDArray[]{src, tin}, new INDArray[]{srcMask, tMask})[0];
        assertArrayEquals(new long[]{2, 9, 4}, p1.shape());
        INDArray oldColumns = p1.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 7), NDArrayIndex.all()).dup();
        INDArray renormalised = oldColumns.div(oldColumns.sum(true, 1).broadcast(2, 7, 4));
        double maxDiff = renormalised.sub(p0).amaxNumber().doubleValue();
        assertTrue(maxDiff < 1e-5, "renormalised old columns differ from the old model by " + maxDiff);
        double newMass = p1.get(NDArrayIndex.all(), NDArrayIndex.interval(7, 9), NDArrayIndex.all()).sumNumber().doubleValue();
        assertTrue(newMass > 1e-3, "the new tokens get some probability: " + newMass);
    }

    @Test
    void unkRatesBeforeAndAfter() {
        TranslationModel old = oldModel(Seq2Seq.builder().embeddingSize(4).hiddenSize(4).build());
        // NEW source tokens a d e d b: 3 of 5 unknown; target w v x v w u: 5 of 6 unknown.
        VocabularyExtension.UnkRates before = VocabularyExtension.unkRates(old, NEW);
        assertEquals(0.6, before.source(), 1e-12);
        assertEquals(5.0 / 6, before.target(), 1e-12);
        assertEquals("unknown tokens: source 60.00%, target 83.33%", before.toString());
        // With min frequency 2, e (source) and u (target) stay unknown.
        VocabularyExtension.UnkRates after = VocabularyExtension.unkRates(VocabularyExtension.extend(old, NEW, 2, 1000), NEW);
        assertEquals(0.2, after.source(), 1e-12);
        assertEquals(1.0 / 6, after.target(), 1e-12);
    }

    @Test
    void vocabularyThatReordersOldTokensIsRefused() {
        TranslationModel old = oldModel(Seq2Seq.builder().embeddingSize(4).hiddenSize(4).build());
        Vocabulary reordered = Vocabulary.of(List.of("a", "c", "b", "d"));
        assertThrows(IllegalArgumentException.class, () -> VocabularyExtension.extend(old, reordered, old.targetVocab()));
        ModelCard other = Seq2Seq.builder().embeddingSize(4).hiddenSize(5).build();
        assertThrows(IllegalArgumentException.class, () -> VocabularyExtension.extendGraph(old.graph(), other, 8, 8));
    }

    /**
     * Tied output (decoder): the old rows of the target embedding and the old columns of the output weights are
     * kept, and the whole output weight matrix, new columns included, is the transposed extended embedding.
     */
    @Test
    void tiedDecoderKeepsOldRowsAndTiesTheNewOnes() {
        ModelCard card = Seq2Seq.builder().embeddingSize(6).hiddenSize(6).tieEmbeddings(ModelCard.Tie.DECODER).build();
        TranslationModel old = oldModel(card);
        TiedEmbeddings.sync(old.graph(), ModelCard.Tie.DECODER);                 // oldModel moved every parameter
        INDArray oldE = w(old, GraphNames.TARGET_EMBEDDING);
        INDArray oldOut = w(old, GraphNames.OUTPUT);
        assertEquals(oldE.transpose(), oldOut);

        TranslationModel ext = VocabularyExtension.extend(old, NEW, 2, 1000);
        INDArray e = w(ext, GraphNames.TARGET_EMBEDDING);
        INDArray out = w(ext, GraphNames.OUTPUT);
        assertArrayEquals(new long[]{9, 6}, e.shape());
        assertEquals(oldE, e.get(NDArrayIndex.interval(0, 7), NDArrayIndex.all()), "old rows kept");
        assertEquals(oldOut, out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 7)), "old columns kept");
        assertEquals(e.transpose(), out, "new rows tied");
        INDArray fresh = e.get(NDArrayIndex.interval(7, 9), NDArrayIndex.all());
        assertTrue(fresh.amaxNumber().doubleValue() > 0, "new rows are initialised");
    }

    /** Tied all: one joint vocabulary grows by the new tokens of both sides, and all three copies stay one matrix. */
    @Test
    void tiedAllGrowsTheJointVocabularyOnce() {
        ModelCard card = Seq2Seq.builder().embeddingSize(6).hiddenSize(6).tieEmbeddings(ModelCard.Tie.ALL).build();
        List<List<String>> both = new ArrayList<>();
        for (SentencePair p : OLD) {
            both.add(WORDS.tokenize(p.source()));
            both.add(WORDS.tokenize(p.target()));
        }
        Vocabulary joint = Vocabulary.build(both, 1, 100);
        TranslationModel old = TranslationModel.create(card, joint, joint, WORDS, WORDS);
        assertThrows(IllegalArgumentException.class, () -> TranslationModel.create(card,
                Vocabulary.build(both.subList(0, 1), 1, 100), joint, WORDS, WORDS), "tying all needs one vocabulary");
        INDArray oldE = w(old, GraphNames.TARGET_EMBEDDING);

        TranslationModel ext = VocabularyExtension.extend(old, NEW, 2, 1000);
        // New tokens with count >= 2 over both sides: d (2), w (2), v (2); e and u once.
        assertEquals(ext.sourceVocab().tokens(), ext.targetVocab().tokens());
        assertEquals(List.of("d", "v", "w"), ext.targetVocab().tokens().subList(joint.size(), ext.targetVocab().size()));
        INDArray e = w(ext, GraphNames.TARGET_EMBEDDING);
        assertEquals(oldE, e.get(NDArrayIndex.interval(0, joint.size()), NDArrayIndex.all()), "old rows kept");
        assertEquals(e, w(ext, GraphNames.SOURCE_EMBEDDING));
        assertEquals(e.transpose(), w(ext, GraphNames.OUTPUT));
    }

    /** A layer's W, as a c-order copy (interval indexing on DL4J's f-order views is unreliable in M2.1). */
    private static INDArray w(TranslationModel m, String layer) {
        return m.graph().getLayer(layer).getParam("W").dup('c');
    }
}
