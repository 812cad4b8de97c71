package org.attentionzoo.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GreyScaleTest {

    @Test
    void zeroIsWhiteOneIsBlack() {
        assertEquals(255, GreyScale.level(0.0));
        assertEquals(0, GreyScale.level(1.0));
        assertEquals(0xffffff, GreyScale.rgb(0.0));
        assertEquals(0x000000, GreyScale.rgb(1.0));
    }

    @Test
    void intermediateWeightsRoundToTheNearestLevel() {
        assertEquals(191, GreyScale.level(0.25));
        assertEquals("#bfbfbf", GreyScale.hex(0.25));
        assertEquals("#808080", GreyScale.hex(0.5));
        assertEquals("#ffffff", GreyScale.hex(0.0));
    }
}
