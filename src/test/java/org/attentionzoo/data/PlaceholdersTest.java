package org.attentionzoo.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Masking and unmasking the spans software messages copy verbatim, on hand-written lines. */
class PlaceholdersTest {

    private static final char P0 = Placeholders.FIRST;
    private static final char P1 = (char) (Placeholders.FIRST + 1);
    private static final char P2 = (char) (Placeholders.FIRST + 2);

    @Test
    void findsEachKindOfSpanInOrderOfFirstAppearance() {
        assertEquals(List.of("%s", "%(count)d", "{0}"), Placeholders.spans("Could not open %s: %(count)d of {0}, %s"));
        assertEquals(List.of("%1$s", "%-10.2f", "%lu", "${HOME}", "{}"), Placeholders.spans("%1$s %-10.2f %lu ${HOME} {}"));
        assertEquals(List.of("--ca-certificate", "-v", "/usr/share/doc"),
                Placeholders.spans("--ca-certificate=FILE with -v in /usr/share/doc"));
        assertEquals(List.of("https://example.org/a?b=1"), Placeholders.spans("See https://example.org/a?b=1."));
        // Not spans: a hyphenated word, a dash between words, a percentage, a single-component path, "and/or".
        assertEquals(List.of(), Placeholders.spans("e-mail - 50 % done in /tmp and/or x-y"));
    }

    @Test
    void masksTheSourceAndTheSameSpansInTheTarget() {
        Placeholders.Masked m = Placeholders.mask("Use --depth=N with %s or %s");
        assertEquals("Use " + P0 + "=N with " + P1 + " or " + P1, m.text());
        assertEquals(List.of("--depth", "%s"), m.spans());
        assertEquals("Utilisez " + P0 + "=N avec " + P1,
                Placeholders.maskLike("Utilisez --depth=N avec %s", m.spans()));
        SentencePair pair = Placeholders.mask(new SentencePair("Open {0} in %s", "Ouvrir {0} dans %s", "t:1"));
        assertEquals(new SentencePair("Open " + P0 + " in " + P1, "Ouvrir " + P0 + " dans " + P1, "t:1"), pair);
    }

    @Test
    void aLongerSpanIsMaskedWholeAndTextInsideWordsIsLeft() {
        Placeholders.Masked m = Placeholders.mask("--no-tls and --no");
        assertEquals(P0 + " and " + P1, m.text());
        // "--no" inside "--no-tls" of the target is not the span "--no" on its own.
        assertEquals(P0 + " et " + P1, Placeholders.maskLike("--no-tls et --no", m.spans()));
        assertEquals("x--depthy", Placeholders.maskLike("x--depthy", List.of("--depth")));
    }

    @Test
    void unmaskPutsSpansBackAndDropsSymbolsWithoutOne() {
        List<String> spans = List.of("--depth", "%s");
        assertEquals("Utilisez --depth avec %s", Placeholders.unmask("Utilisez " + P0 + " avec " + P1, spans));
        assertEquals("reste ", Placeholders.unmask("reste " + P2, spans));
        Placeholders.Masked m = Placeholders.mask("Saved %d files to /var/lib/app");
        assertEquals("Saved %d files to /var/lib/app", m.unmask(m.text()));
    }

    @Test
    void maskedTextSurvivesTheTokenizersAndStaysOneTokenPerSpan() {
        Placeholders.Masked m = Placeholders.mask("Error: %s (see --help)");
        List<String> tokens = new WordTokenizer().tokenize(m.text());
        assertEquals(List.of("Error", "\uFFED:", String.valueOf(P0), "(\uFFED", "see", String.valueOf(P1), "\uFFED)"), tokens);
        assertEquals("Error: %s (see --help)", m.unmask(new WordTokenizer().detokenize(tokens)));
    }
}
