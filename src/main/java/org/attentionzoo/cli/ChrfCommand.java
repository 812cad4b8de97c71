package org.attentionzoo.cli;

import org.attentionzoo.eval.ChrF;
import org.attentionzoo.eval.ChrFScore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code chrf}: corpus chrF2 (character n-grams up to 6, β = 2), as sacreBLEU computes it by default. */
@Command(name = "chrf", description = "Corpus chrF2 (sacreBLEU's default).")
final class ChrfCommand implements Callable<Integer> {

    @Option(names = "--ref", required = true, description = "Reference file, one sentence per line.")
    Path ref;

    @Option(names = "--hyp", description = "Hypothesis file (default: standard input).")
    Path hyp;

    @Override
    public Integer call() throws Exception {
        List<String> refs = TextFiles.lines(ref);
        List<String> hyps = TextFiles.lines(hyp);
        TextFiles.sameLength(hyps, hyp == null ? "<stdin>" : hyp.toString(), refs, ref.toString());
        ChrFScore score = ChrF.corpus(hyps, refs);
        System.out.println(score.format());
        System.out.println(score.signature());
        return 0;
    }
}
