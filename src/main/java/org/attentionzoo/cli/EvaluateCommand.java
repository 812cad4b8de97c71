package org.attentionzoo.cli;

import org.attentionzoo.data.ParallelCorpus;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.eval.Bleu;
import org.attentionzoo.eval.BleuScore;
import org.attentionzoo.eval.BleuTokenizer;
import org.attentionzoo.eval.ChrF;
import org.attentionzoo.eval.ExactMatch;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.util.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code evaluate}: translates a test TSV and scores it against its target column. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Translate a test TSV and report BLEU, chrF and exact match.")
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "A model.zip written by train.")
    Path model;

    @Option(names = {"--test", "--src"}, required = true, paramLabel = "FILE", description = "Test TSV (source<TAB>reference).")
    Path test;

    @Option(names = "--output", paramLabel = "FILE", description = "Also write the translations here, one per line.")
    Path output;

    @CommandLine.Mixin
    DecodingOptions options = new DecodingOptions();

    @Option(names = "--tokenize", defaultValue = "13a", description = "BLEU tokenizer: 13a, zh or none (default ${DEFAULT-VALUE}).")
    String tokenize;

    @Override
    public Integer call() throws Exception {
        TranslationModel m = ModelArchive.load(model, false);
        List<SentencePair> pairs = ParallelCorpus.read(test, false).pairs();
        List<Translation> hyps = new Translator(m, options.decoding()).translateAll(pairs.stream().map(SentencePair::source).toList());
        List<String> hypotheses = hyps.stream().map(Translation::text).toList();
        if (output != null) {
            AtomicFiles.write(output, out -> out.write((String.join("\n", hypotheses) + "\n").getBytes(StandardCharsets.UTF_8)));
        }
        List<String> references = pairs.stream().map(SentencePair::target).toList();
        BleuScore bleu = Bleu.corpus(hypotheses, references, BleuTokenizer.named(tokenize));
        System.out.println(bleu.format());
        System.out.println(ChrF.corpus(hypotheses, references).format());
        System.out.printf(Locale.ROOT, "exact-match: %.1f%% (%d pairs)%n", ExactMatch.percent(hypotheses, references),
                pairs.size());
        return 0;
    }
}
