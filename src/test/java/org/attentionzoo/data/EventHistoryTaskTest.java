package org.attentionzoo.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

class EventHistoryTaskTest {

    private static List<String> events(String s) {
        return Arrays.asList(s.split(" "));
    }

    @Test
    void ruleNeedsOrderNotOnlyWhichEventsOccur() {
        assertEquals("churn", EventHistoryTask.label(events("login complaint view cancel_plan")));
        assertEquals("churn", EventHistoryTask.label(events("purchase purchase purchase refund cancel_plan")));
        assertEquals("active", EventHistoryTask.label(events("login cancel_plan view complaint")));
        assertEquals("active", EventHistoryTask.label(events("complaint purchase cancel_plan")));
        assertEquals("active", EventHistoryTask.label(events("support_ticket cancel_plan")));
        assertEquals("churn", EventHistoryTask.label(events("complaint purchase refund search cancel_plan")));
        assertEquals("loyal", EventHistoryTask.label(events("purchase view purchase complaint purchase cancel_plan")));
        assertEquals("active", EventHistoryTask.label(events("purchase purchase login")));
    }

    @Test
    void generatesSeededBalancedHistoriesOfTheRightLengthAndLabel() {
        EventHistoryTask task = new EventHistoryTask();
        List<LabeledSequence> data = task.generate(3000, 7);
        assertEquals(data, task.generate(3000, 7));
        assertNotEquals(data, task.generate(3000, 8));
        for (LabeledSequence s : data) {
            assertTrue(s.tokens().size() >= 5 && s.tokens().size() <= 40, s.toString());
            assertEquals(EventHistoryTask.label(s.tokens()), s.label());
            assertTrue(EventHistoryTask.EVENTS.containsAll(s.tokens()), s.toString());
        }
        Map<String, Long> counts = data.stream().collect(Collectors.groupingBy(LabeledSequence::label, Collectors.counting()));
        for (String label : EventHistoryTask.LABELS) {
            assertEquals(1000, counts.get(label), 80, label + ": " + counts);
        }
        // Near misses: many non-churn histories hold a complaint or refund and a cancel_plan.
        long nearMisses = data.stream().filter(s -> !s.label().equals("churn") && s.tokens().contains("cancel_plan")
                && (s.tokens().contains("complaint") || s.tokens().contains("refund"))).count();
        assertTrue(nearMisses > 150, "near misses: " + nearMisses);
    }

    @Test
    void iteratorPadsMasksAndOneHotEncodes() {
        Vocabulary vocab = Vocabulary.of(EventHistoryTask.EVENTS);
        List<LabeledSequence> data = List.of(
                new LabeledSequence(events("login purchase"), "active"),
                new LabeledSequence(events("complaint view view cancel_plan"), "churn"),
                new LabeledSequence(events("purchase"), "loyal"));
        ClassificationIterator it = new ClassificationIterator(data, vocab, EventHistoryTask.LABELS, 2, false, 1);
        DataSet first = it.next();
        assertArrayEquals(new long[]{2, 1, 4}, first.getFeatures().shape());
        assertArrayEquals(new float[]{vocab.id("login"), vocab.id("purchase"), 0, 0},
                first.getFeatures().slice(0).reshape(4).toFloatVector());
        assertArrayEquals(new float[]{1, 1, 0, 0}, first.getFeaturesMaskArray().getRow(0).toFloatVector());
        assertArrayEquals(new float[]{1, 1, 1, 1}, first.getFeaturesMaskArray().getRow(1).toFloatVector());
        assertArrayEquals(new float[]{1, 0, 0}, first.getLabels().getRow(0).toFloatVector());
        assertArrayEquals(new float[]{0, 0, 1}, first.getLabels().getRow(1).toFloatVector());
        DataSet last = it.next();
        assertArrayEquals(new long[]{1, 1, 1}, last.getFeatures().shape());
        assertFalse(it.hasNext());
        assertEquals(1.0 / 3, it.majorityFraction(), 1e-12);

        Function<Integer, String> firstBatch = seed -> {
            ClassificationIterator s = new ClassificationIterator(data, vocab, EventHistoryTask.LABELS, 3, true, seed);
            s.reset();
            return s.next().getFeatures().toString();
        };
        assertEquals(firstBatch.apply(5), firstBatch.apply(5));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new ClassificationIterator(
                List.of(new LabeledSequence(events("login"), "gone")), vocab, EventHistoryTask.LABELS, 2, false, 1));
        assertTrue(bad.getMessage().contains("'gone'"), bad.getMessage());
    }
}
