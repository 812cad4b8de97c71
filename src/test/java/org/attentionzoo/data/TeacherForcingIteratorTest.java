package org.attentionzoo.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

class TeacherForcingIteratorTest {

    // Source ids: a=4 b=5 c=6. Target ids: x=4 y=5; z is unknown (3).
    private static final Vocabulary SRC = Vocabulary.of(List.of("a", "b", "c"));
    private static final Vocabulary TGT = Vocabulary.of(List.of("x", "y"));
    private static final List<SentencePair> TINY = List.of(
            new SentencePair("a b c", "x", "t#1"),
            new SentencePair("b", "y x", "t#2"),
            new SentencePair("c a", "y y z", "t#3"));

    private static TeacherForcingIterator.Builder tiny() {
        return TeacherForcingIterator.builder().pairs(TINY)
                .sourceTokenizer(new WordTokenizer()).targetTokenizer(new WordTokenizer())
                .sourceVocab(SRC).targetVocab(TGT)
                .batchSize(3).maxLength(10).shuffle(false).bucketing(false);
    }

    private static void assertTensor(float[][] expected, INDArray actual, int rank) {
        assertEquals(DataType.FLOAT, actual.dataType());
        assertEquals(rank, actual.rank());
        if (rank == 3) {
            assertEquals(1, actual.size(1));
        }
        float[][] values = actual.reshape('c', actual.size(0), actual.size(rank - 1)).toFloatMatrix();
        assertEquals(expected.length, values.length);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], values[i], "row " + i);
        }
    }

    @Test
    void tinyBatchTensorsAndMasks() {
        TeacherForcingIterator it = tiny().build();
        assertTrue(it.hasNext());
        MultiDataSet mds = it.next();
        assertFalse(it.hasNext());
        assertEquals(2, mds.getFeatures().length);
        assertEquals(1, mds.getLabels().length);
        assertArrayEquals(new long[] {3, 1, 3}, mds.getFeatures(0).shape());
        assertArrayEquals(new long[] {3, 1, 4}, mds.getFeatures(1).shape());
        assertArrayEquals(new long[] {3, 1, 4}, mds.getLabels(0).shape());
        assertTensor(new float[][] {{4, 5, 6}, {5, 0, 0}, {6, 4, 0}}, mds.getFeatures(0), 3);
        assertTensor(new float[][] {{1, 4, 0, 0}, {1, 5, 4, 0}, {1, 5, 5, 3}}, mds.getFeatures(1), 3);
        assertTensor(new float[][] {{4, 2, 0, 0}, {5, 4, 2, 0}, {5, 5, 3, 2}}, mds.getLabels(0), 3);
        assertTensor(new float[][] {{1, 1, 1}, {1, 0, 0}, {1, 1, 0}}, mds.getFeaturesMaskArray(0), 2);
        float[][] targetMask = {{1, 1, 0, 0}, {1, 1, 1, 0}, {1, 1, 1, 1}};
        assertTensor(targetMask, mds.getFeaturesMaskArray(1), 2);
        assertTensor(targetMask, mds.getLabelsMaskArray(0), 2);
        assertEquals(9, it.totalTargetTokens());
        assertEquals(6, it.totalSourceTokens());
        // Steps: source 3x3=9 (3 padding), decoder 3x4=12 (3 padding).
        assertEquals(6.0 / 21.0, it.paddingFraction(), 1e-12);
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void smallBatchesSplitTheCorpus() {
        TeacherForcingIterator it = tiny().batchSize(2).build();
        assertEquals(2, it.batchesPerEpoch());
        MultiDataSet first = it.next();
        MultiDataSet second = it.next();
        assertTensor(new float[][] {{4, 5, 6}, {5, 0, 0}}, first.getFeatures(0), 3);
        assertTensor(new float[][] {{6, 4}}, second.getFeatures(0), 3);
        assertTensor(new float[][] {{5, 5, 3, 2}}, second.getLabels(0), 3);
    }

    @Test
    void tooLongAndEmptyPairsAreSkippedAndCounted() {
        List<SentencePair> pairs = new ArrayList<>(TINY);
        pairs.add(new SentencePair("...", "   ", "t#4")); // the words tokenizer gives no target token
        // maxLength 3: "y y z" + EOS is 4 tokens, "a b c" is exactly 3 and stays.
        TeacherForcingIterator it = tiny().pairs(pairs).maxLength(3).build();
        assertEquals(1, it.skippedTooLong());
        assertEquals(1, it.skippedEmpty());
        assertEquals(2, it.keptPairs());
        assertEquals(new LengthReport(4, 2, 1, 1, 3), it.lengthReport());
        assertEquals("kept 2 of 4 pairs; 1 longer than 3 tokens skipped; 1 empty after tokenisation skipped",
                it.report());
        MultiDataSet mds = it.next();
        assertTensor(new float[][] {{4, 5, 6}, {5, 0, 0}}, mds.getFeatures(0), 3);
        assertTensor(new float[][] {{4, 2, 0}, {5, 4, 2}}, mds.getLabels(0), 3);
        assertFalse(it.hasNext());
    }

    @Test
    void reportWithoutEmptyPairs() {
        assertEquals("kept 3 of 3 pairs; 0 longer than 10 tokens skipped", tiny().build().report());
    }

    @Test
    void nothingLeftIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tiny().maxLength(1).build());
        assertTrue(e.getMessage().contains("kept 0 of 3 pairs"), e.getMessage());
    }

    @Test
    void preProcessorIsApplied() {
        TeacherForcingIterator it = tiny().batchSize(1).build();
        AtomicInteger calls = new AtomicInteger();
        it.setPreProcessor(m -> calls.incrementAndGet());
        while (it.hasNext()) {
            it.next();
        }
        assertEquals(3, calls.get());
        assertThrows(UnsupportedOperationException.class, () -> it.next(2));
        assertTrue(it.resetSupported());
    }

    private static List<SentencePair> reversePairs(int count) {
        return new ReverseTask(20, 1, 30).generate(count, 5);
    }

    private static TeacherForcingIterator.Builder generated(List<SentencePair> pairs, long seed) {
        Vocabulary vocab = Vocabulary.of(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10",
                "11", "12", "13", "14", "15", "16", "17", "18", "19", "20"));
        return TeacherForcingIterator.builder().pairs(pairs)
                .sourceTokenizer(new WordTokenizer()).targetTokenizer(new WordTokenizer())
                .sourceVocab(vocab).targetVocab(vocab).batchSize(16).maxLength(40).seed(seed);
    }

    /** The source tensor of every batch of the current epoch, flattened. */
    private static List<String> epochSources(TeacherForcingIterator it) {
        List<String> out = new ArrayList<>();
        while (it.hasNext()) {
            out.add(Arrays.toString(it.next().getFeatures(0).ravel().toFloatVector()));
        }
        return out;
    }

    @Test
    void sameSeedSameBatchesEveryEpoch() {
        List<SentencePair> pairs = reversePairs(160);
        TeacherForcingIterator a = generated(pairs, 7).build();
        TeacherForcingIterator b = generated(pairs, 7).build();
        TeacherForcingIterator c = generated(pairs, 8).build();
        List<String> a0 = epochSources(a);
        assertEquals(10, a0.size());
        assertEquals(a0, epochSources(b));
        assertNotEquals(a0, epochSources(c));
        a.reset();
        b.reset();
        assertEquals(1, a.epoch());
        List<String> a1 = epochSources(a);
        assertEquals(a1, epochSources(b));
        assertNotEquals(a0, a1);
    }

    @Test
    void seekContinuesTheStreamOfAnIteratorThatGotThereByResetAndNext() {
        List<SentencePair> pairs = reversePairs(160);
        TeacherForcingIterator walked = generated(pairs, 7).build();
        walked.reset();
        walked.reset();
        for (int i = 0; i < 4; i++) {
            walked.next();
        }
        assertEquals(4, walked.batchInEpoch());
        TeacherForcingIterator sought = generated(pairs, 7).build();
        sought.seek(2, 4);
        assertEquals(2, sought.epoch());
        assertEquals(4, sought.batchInEpoch());
        List<String> rest = epochSources(walked);
        assertEquals(6, rest.size());
        assertEquals(rest, epochSources(sought));
        walked.reset();
        sought.reset();
        assertEquals(epochSources(walked), epochSources(sought), "and the epochs after it");
        assertThrows(IllegalArgumentException.class, () -> sought.seek(0, 11));
    }

    @Test
    void everyPairOnceAndPaddingFractionMatchesMasks() {
        TeacherForcingIterator it = generated(reversePairs(100), 3).build();
        long realSteps = 0;
        long allSteps = 0;
        long labelTokens = 0;
        int examples = 0;
        while (it.hasNext()) {
            MultiDataSet mds = it.next();
            examples += (int) mds.getFeatures(0).size(0);
            INDArray src = mds.getFeaturesMaskArray(0);
            INDArray tgt = mds.getLabelsMaskArray(0);
            labelTokens += tgt.sumNumber().longValue();
            realSteps += src.sumNumber().longValue() + tgt.sumNumber().longValue();
            allSteps += src.length() + tgt.length();
        }
        assertEquals(100, examples);
        assertEquals(it.totalTargetTokens(), labelTokens);
        assertEquals((double) (allSteps - realSteps) / allSteps, it.paddingFraction(), 1e-12);
    }

    @Test
    void bucketingReducesPadding() {
        List<SentencePair> pairs = reversePairs(800);
        double bucketed = generated(pairs, 1).bucketing(true).build().paddingFraction();
        double unbucketed = generated(pairs, 1).bucketing(false).build().paddingFraction();
        assertTrue(bucketed < 0.1, "bucketed padding " + bucketed);
        assertTrue(unbucketed > 0.3, "unbucketed padding " + unbucketed);
    }
}
