package org.attentionzoo.cli;

import org.attentionzoo.eval.Bleu;
import org.attentionzoo.eval.BleuScore;
import org.attentionzoo.eval.BleuTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code bleu}: corpus BLEU of hypotheses against references, as sacreBLEU computes it by default. */
@Command(name = "bleu", description = "Corpus BLEU (sacreBLEU's default: 13a tokenizer, exp smoothing, mixed case).")
final class BleuCommand implements Callable<Integer> {

    @Mixin
    ScoringInputs inputs;

    @Option(names = "--tokenize", defaultValue = "13a", description = "13a, zh or none (default ${DEFAULT-VALUE}).")
    String tokenize;

    @Override
    public Integer call() throws Exception {
        BleuTokenizer tokenizer = BleuTokenizer.named(tokenize);
        ScoringInputs.Lines lines = inputs.read();
        BleuScore score = Bleu.corpus(lines.hypotheses(), lines.references(), tokenizer);
        System.out.println(score.format());
        System.out.println(score.signature());
        return 0;
    }
}
