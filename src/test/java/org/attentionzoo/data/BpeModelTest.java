package org.attentionzoo.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attentionzoo.data.BpeModel.Merge;
import org.junit.jupiter.api.Test;

class BpeModelTest {

    /** The toy corpus of Sennrich et al. 2016, Section 3.2: low 5, lower 2, newest 6, widest 3. */
    private static Map<String, Integer> paperCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("low", 5);
        counts.put("lower", 2);
        counts.put("newest", 6);
        counts.put("widest", 3);
        return counts;
    }

    /*
     * Worked by hand. Initial pair counts: (e,s) 9, (s,t</w>) 9, (w,e) 8, (l,o) 7, (n,e) 6, (e,w) 6, ...
     * 1. e s          9, tie with (s,t</w>) broken by the smaller left symbol "e"
     * 2. es t</w>     9
     * 3. l o          7 (w,e is now 2: "newest" became n e w est)
     * 4. e w          6, tie with (n,e) and (w,est</w>): "e" < "n" < "w"
     * 5. ew est</w>   6, tie with (n,ew): "ew" < "n"
     * 6. n ewest</w>  6
     * 7. lo w</w>     5
     * 8. d est</w>    3, tie with (i,d) and (w,i)
     * 9. i dest</w>   3
     * 10. w idest</w> 3
     * 11. e r</w>     2, tie with (lo,w) and (w,e): "e" < "lo" < "w"
     * 12. lo w        2
     * 13. low er</w>  2; then every word is one symbol and learning stops.
     */
    private static final List<Merge> PAPER_MERGES = List.of(
            new Merge("e", "s"), new Merge("es", "t</w>"), new Merge("l", "o"), new Merge("e", "w"),
            new Merge("ew", "est</w>"), new Merge("n", "ewest</w>"), new Merge("lo", "w</w>"),
            new Merge("d", "est</w>"), new Merge("i", "dest</w>"), new Merge("w", "idest</w>"),
            new Merge("e", "r</w>"), new Merge("lo", "w"), new Merge("low", "er</w>"));

    @Test
    void learnsThePaperExampleWithDocumentedTieBreaking() {
        assertEquals(PAPER_MERGES, BpeModel.learn(paperCounts(), 100).merges());
        assertEquals(PAPER_MERGES.subList(0, 4), BpeModel.learn(paperCounts(), 4).merges());
    }

    @Test
    void resultDoesNotDependOnWordOrder() {
        Map<String, Integer> reversed = new LinkedHashMap<>();
        List<String> keys = List.copyOf(paperCounts().keySet());
        for (int i = keys.size() - 1; i >= 0; i--) {
            reversed.put(keys.get(i), paperCounts().get(keys.get(i)));
        }
        assertEquals(PAPER_MERGES, BpeModel.learn(reversed, 100).merges());
    }

    @Test
    void segmentAppliesMergesInLearnedOrder() {
        BpeModel four = BpeModel.learn(paperCounts(), 4);
        // l o w e s t</w> -> (e s) l o w es t</w> -> (es t</w>) l o w est</w> -> (l o) lo w est</w>
        assertEquals(List.of("lo", "w", "est"), four.segment("lowest"));
        // n e w e r</w> -> (e w) n ew e r</w>
        assertEquals(List.of("n", "ew", "e", "r"), four.segment("newer"));
        BpeModel all = new BpeModel(PAPER_MERGES);
        assertEquals(List.of("lower"), all.segment("lower"));
        assertEquals(List.of("widest"), all.segment("widest"));
        // "st" inside a word is not "st</w>": only (e,s) applies to the middle of "estate".
        assertEquals(List.of("es", "t", "a", "t", "e"), all.segment("estate"));
        assertEquals(List.of("x"), all.segment("x"));
    }

    @Test
    void mergesNonOverlappingOccurrencesLeftToRight() {
        // a a a a</w> twice: (a,a) occurs twice per copy, count 4; (a,a</w>) count 2.
        BpeModel model = BpeModel.learn(Map.of("aaaa", 2), 1);
        assertEquals(List.of(new Merge("a", "a")), model.merges());
        assertEquals(List.of("aa", "a", "a"), model.segment("aaaa"));
        assertEquals(List.of("aa", "aa", "a"), model.segment("aaaaa"));
    }

    @Test
    void stopsWhenNoPairOccursTwice() {
        assertEquals(0, BpeModel.learn(Map.of("abc", 1), 10).size());
        assertEquals(List.of(new Merge("a", "b</w>")), BpeModel.learn(List.of("ab", "ab", "cd"), 10).merges());
    }

    @Test
    void countingWordsEqualsGivingCounts() {
        List<String> words = List.of("low", "newest", "low", "widest", "newest", "lower", "low", "newest",
                "widest", "newest", "low", "lower", "newest", "newest", "low", "widest");
        assertEquals(PAPER_MERGES, BpeModel.learn(words, 100).merges());
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BpeModel.learn(paperCounts(), -1));
        assertThrows(IllegalArgumentException.class, () -> BpeModel.learn(Map.of("a b", 2), 5));
        assertThrows(IllegalArgumentException.class, () -> BpeModel.learn(Map.of("ab", 0), 5));
        assertThrows(IllegalArgumentException.class, () -> new Merge("a", ""));
        assertThrows(IllegalArgumentException.class, () -> new BpeModel(List.of(new Merge("a", "b"), new Merge("a", "b"))));
        assertThrows(IllegalArgumentException.class, () -> new BpeModel(List.of()).segment(""));
    }
}
