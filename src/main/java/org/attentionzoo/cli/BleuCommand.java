package org.attentionzoo.cli;

import org.attentionzoo.eval.Bleu;
import org.attentionzoo.eval.BleuScore;
import org.attentionzoo.eval.BleuTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code bleu}: corpus BLEU of hypotheses against references, as sacreBLEU computes it by default. */
@Command(name = "bleu", description = "Corpus BLEU (sacreBLEU's default: 13a tokenizer, exp smoothing, mixed case).")
final class BleuCommand implements Callable<Integer> {

    @Option(names = "--ref", required = true, description = "Reference file, one sentence per line.")
    Path ref;

    @Option(names = "--hyp", description = "Hypothesis file (default: standard input).")
    Path hyp;

    @Option(names = "--tokenize", defaultValue = "13a", description = "13a, zh or none (default ${DEFAULT-VALUE}).")
    String tokenize;

    @Override
    public Integer call() throws Exception {
        BleuTokenizer tokenizer = BleuTokenizer.named(tokenize);
        List<String> refs = TextFiles.lines(ref);
        List<String> hyps = TextFiles.lines(hyp);
        TextFiles.sameLength(hyps, hyp == null ? "<stdin>" : hyp.toString(), refs, ref.toString());
        BleuScore score = Bleu.corpus(hyps, refs, tokenizer);
        System.out.println(score.format());
        System.out.println(score.signature());
        return 0;
    }
}
