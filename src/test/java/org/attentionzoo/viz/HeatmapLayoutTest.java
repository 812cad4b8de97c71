package org.attentionzoo.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeatmapLayoutTest {

    @Test
    void marginsComeFromTheLongestLabels() {
        Alignment a = new Alignment(List.of("ab", "cde"), List.of("x", "yyyy"), new double[][] {{1, 0}, {0, 1}});
        HeatmapLayout layout = HeatmapLayout.of(a, label -> 10 * label.length());
        // left: margin 10 + widest target label 40 + gap 6; top: margin 10 + widest source label 30 + gap 6
        assertEquals(56, layout.gridLeft());
        assertEquals(46, layout.gridTop());
        assertEquals(56 + 2 * 28 + 10, layout.width());
        assertEquals(46 + 2 * 28 + 10, layout.height());
        assertEquals(84, layout.cellX(1));
        assertEquals(74, layout.cellY(1));
        assertEquals(98, layout.centreX(1));
        assertEquals(88, layout.centreY(1));
        assertEquals(50, layout.targetLabelRight());
        assertEquals(40, layout.sourceLabelBottom());
    }
}
