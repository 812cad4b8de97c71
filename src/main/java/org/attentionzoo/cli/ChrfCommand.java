package org.attentionzoo.cli;

import org.attentionzoo.eval.ChrF;
import org.attentionzoo.eval.ChrFScore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code chrf}: corpus chrF2 (character n-grams up to 6, β = 2), as sacreBLEU computes it by default. */
@Command(name = "chrf", description = "Corpus chrF2 (sacreBLEU's default).")
final class ChrfCommand implements Callable<Integer> {

    @Mixin
    ScoringInputs inputs;

    @Override
    public Integer call() throws Exception {
        ScoringInputs.Lines lines = inputs.read();
        ChrFScore score = ChrF.corpus(lines.hypotheses(), lines.references());
        System.out.println(score.format());
        System.out.println(score.signature());
        return 0;
    }
}
