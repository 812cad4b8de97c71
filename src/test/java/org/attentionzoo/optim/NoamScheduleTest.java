package org.attentionzoo.optim;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NoamScheduleTest {

    @Test
    void valuesFollowTheFormula() {
        NoamSchedule s = new NoamSchedule(1.0, 512, 4000);
        // step 1: 512^-0.5 · 1 · 4000^-1.5 = 0.04419417 · 3.9528471e-6
        assertEquals(1.7469281e-7, s.valueAt(0, 0), 1e-13);
        // step 4000 (peak): (512 · 4000)^-0.5 = 1 / 1431.0835
        assertEquals(6.9877124e-4, s.valueAt(3999, 0), 1e-10);
        // step 16000: 512^-0.5 · 16000^-0.5 = 1 / 2862.1670
        assertEquals(3.4938562e-4, s.valueAt(15999, 0), 1e-10);
        // warm-up is linear: step 2000 is half the peak
        assertEquals(s.valueAt(3999, 0) / 2, s.valueAt(1999, 0), 1e-12);
        assertEquals(2 * s.valueAt(0, 0), new NoamSchedule(2.0, 512, 4000).valueAt(0, 0), 1e-15);
    }

    @Test
    void survivesJsonInsideAnUpdater() throws Exception {
        Adam adam = new Adam(new NoamSchedule(2.0, 256, 1000));
        ObjectMapper json = new ObjectMapper();
        Adam back = json.readValue(json.writeValueAsString(adam), Adam.class);
        assertEquals(adam.getLearningRateSchedule(), back.getLearningRateSchedule());
        assertEquals(adam.getLearningRate(999, 0), back.getLearningRate(999, 0), 0);
    }
}
