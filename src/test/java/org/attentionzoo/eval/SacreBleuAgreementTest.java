package org.attentionzoo.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our BLEU and chrF against numbers printed by the real sacreBLEU 2.6.0 (git tag v2.6.0 of
 * https://github.com/mjpost/sacrebleu, run from its source tree with Debian 12's Python 3.11.2).
 *
 * <p>Fixtures in src/test/resources/eval/: the first 200 references (target column) of
 * shared/data/gettext/en-fr.dev.tsv and en-zh.dev.tsv, and three hypothesis sets per pair made by perturbing them
 * deterministically (words for en-fr, characters for en-zh: dropped, replaced, swapped; light/medium/heavy).
 * The files and the expected lines below come from
 * {@code SACREBLEU_SRC=<checkout> /usr/bin/python3 src/test/resources/eval/make_fixtures.py shared/data/gettext},
 * which prints {@code str(BLEU(tokenize=tok).corpus_score(hyps, [refs]))} (tok = 13a for en-fr, zh for en-zh) and
 * {@code str(CHRF().corpus_score(hyps, [refs]))} with their signatures (all other settings sacreBLEU's defaults).
 * The whole line must match, so the precisions, BP, ratio and lengths agree too, not only the score.
 */
class SacreBleuAgreementTest {

    @ParameterizedTest(name = "{0}.{1}")
    @CsvSource(delimiter = '|', textBlock = """
        en-fr | light  | 13a | BLEU = 72.05 95.3/79.4/70.7/64.1 (BP = 0.942 ratio = 0.943 hyp_len = 1549 ref_len = 1642) | chrF2 = 84.15
        en-fr | medium | 13a | BLEU = 37.53 83.2/52.4/36.1/25.6 (BP = 0.838 ratio = 0.850 hyp_len = 1395 ref_len = 1642) | chrF2 = 64.30
        en-fr | heavy  | 13a | BLEU = 8.60 56.9/18.1/6.9/3.8 (BP = 0.672 ratio = 0.716 hyp_len = 1175 ref_len = 1642)    | chrF2 = 33.95
        en-zh | light  | zh  | BLEU = 62.28 87.4/68.4/56.6/47.5 (BP = 0.983 ratio = 0.984 hyp_len = 2038 ref_len = 2072) | chrF2 = 62.39
        en-zh | medium | zh  | BLEU = 24.63 66.5/33.1/19.0/10.9 (BP = 0.947 ratio = 0.948 hyp_len = 1965 ref_len = 2072) | chrF2 = 27.26
        en-zh | heavy  | zh  | BLEU = 4.85 42.2/9.1/2.7/1.0 (BP = 0.854 ratio = 0.863 hyp_len = 1789 ref_len = 2072)    | chrF2 = 9.71
        """)
    void matchesSacreBleu(String pair, String system, String tokenizer, String sacreBleuLine, String sacreChrFLine)
            throws IOException {
        List<String> refs = lines(pair + ".ref.txt");
        List<String> hyps = lines(pair + "." + system + ".txt");
        assertEquals(200, refs.size());
        assertEquals(200, hyps.size());

        BleuScore bleu = Bleu.corpus(hyps, refs, BleuTokenizer.named(tokenizer));
        assertEquals(sacreBleuLine, bleu.format());
        // sacreBLEU's signature, but for the version field
        assertEquals("nrefs:1|case:mixed|eff:no|tok:" + tokenizer + "|smooth:exp|version:attention-zoo",
                bleu.signature());

        ChrFScore chrf = ChrF.corpus(hyps, refs);
        assertEquals(sacreChrFLine, chrf.format());
        assertEquals("nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:attention-zoo", chrf.signature());
    }

    private static List<String> lines(String name) throws IOException {
        try (InputStream in = SacreBleuAgreementTest.class.getResourceAsStream("/eval/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource eval/" + name);
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
        }
    }
}
