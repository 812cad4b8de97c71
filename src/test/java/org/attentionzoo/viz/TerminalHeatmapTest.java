package org.attentionzoo.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TerminalHeatmapTest {

    private static final Alignment SAMPLE = new Alignment(List.of("le", "chat"), List.of("the", "cat", "</s>"),
            new double[][] {{0.9, 0.1}, {0.3, 0.7}, {0.5, 0.5}});

    @Test
    void rendersTheExactMatrix() {
        String expected = """
                      l c
                      e h
                        a
                        t
                     ┌────┐
                the  │██  │
                cat  │░░▓▓│
                </s> │▒▒▒▒│
                     └────┘
                [  ] 0.0-0.2  [░░] 0.2-0.4  [▒▒] 0.4-0.6  [▓▓] 0.6-0.8  [██] 0.8-1.0
                """;
        assertEquals(expected, TerminalHeatmap.render(SAMPLE));
    }

    @Test
    void wideCharactersFillAWholeCellAndPadByDisplayWidth() {
        Alignment a = new Alignment(List.of("猫", "a"), List.of("ねこ", "x"), new double[][] {{1, 0}, {0, 1}});
        String expected = """
                      猫a
                     ┌────┐
                ねこ │██  │
                x    │  ██│
                     └────┘
                [  ] 0.0-0.2  [░░] 0.2-0.4  [▒▒] 0.4-0.6  [▓▓] 0.6-0.8  [██] 0.8-1.0
                """;
        assertEquals(expected, TerminalHeatmap.render(a));
    }

    @Test
    void combiningMarksStayWithTheirBaseAndControlCharactersAreNeutralised() {
        Alignment a = new Alignment(List.of("e\u0301t"), List.of("\u001b[2J"), new double[][] {{1}});
        String expected = """
                      e\u0301
                      t
                     ┌──┐
                ?[2J │██│
                     └──┘
                [  ] 0.0-0.2  [░░] 0.2-0.4  [▒▒] 0.4-0.6  [▓▓] 0.6-0.8  [██] 0.8-1.0
                """;
        assertEquals(expected, TerminalHeatmap.render(a));
    }

    @Test
    void plainOutputHasNoEscapeCodesAndAnsiOutputPaintsGreys() {
        assertFalse(TerminalHeatmap.render(SAMPLE).contains("\u001b"));
        Alignment a = new Alignment(List.of("a", "b"), List.of("</s>"), new double[][] {{1, 0}});
        String ansi = TerminalHeatmap.render(a, true);
        assertTrue(ansi.contains("</s> │\u001b[48;5;232m  \u001b[48;5;255m  \u001b[0m│\n"), ansi);
    }

    @Test
    void shadesAreQuintilesWithInclusiveLowerBounds() {
        assertEquals(0, TerminalHeatmap.shade(0.0));
        assertEquals(0, TerminalHeatmap.shade(0.199));
        assertEquals(1, TerminalHeatmap.shade(0.2));
        assertEquals(2, TerminalHeatmap.shade(0.4));
        assertEquals(3, TerminalHeatmap.shade(0.6));
        assertEquals(4, TerminalHeatmap.shade(0.8));
        assertEquals(4, TerminalHeatmap.shade(1.0));
        assertEquals(255, TerminalHeatmap.ansiGrey(0.0));
        assertEquals(244, TerminalHeatmap.ansiGrey(0.5));
        assertEquals(232, TerminalHeatmap.ansiGrey(1.0));
    }

    @Test
    void largeMatrixHasOneLinePerRowPlusHeaderBordersAndLegend() {
        Alignment a = Fixtures.diagonal(40);
        String[] lines = TerminalHeatmap.render(a).split("\n");
        // "s39" is three characters tall; 2 borders, 40 rows, 1 legend.
        assertEquals(3 + 2 + 40 + 1, lines.length);
        assertEquals("t0  │██" + "  ".repeat(39) + "│", lines[4]);
        assertEquals("t39 │" + "  ".repeat(39) + "██│", lines[4 + 39]);
    }
}
