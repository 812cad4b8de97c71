package org.attentionzoo.examples;

import org.attentionzoo.data.ParallelCorpus;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.eval.ExactMatch;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.models.VocabularyExtension;
import org.attentionzoo.train.Trainer;
import org.attentionzoo.train.TrainingData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.util.concurrent.Callable;

/**
 * Fine-tuning a saved model on a new corpus: load {@code model.zip}, measure how much of the new corpus is
 * {@code <unk>} under the old vocabularies, extend them with the new tokens (old ids keep their meaning),
 * continue training, save to a new file. The last tenth of the new TSV is held out and scored before and after.
 * By default the old model is a quick {@code dates} model (trained and saved first if absent) and the new
 * corpus is dates written in French ("mardi 24 novembre 2026" → 2026-11-24), whose words it has never seen.
 *
 * <pre>
 * mvn -q compile exec:java -Dexec.mainClass=org.attentionzoo.examples.FineTuneExample
 * mvn -q compile exec:java -Dexec.mainClass=org.attentionzoo.examples.FineTuneExample \
 *     -Dexec.args="--model runs/en-fr/model.zip --tsv my-corpus.tsv --extend false --minutes 10 --out tuned.zip"
 * </pre>
 */
@Command(name = "FineTuneExample", mixinStandardHelpOptions = true,
        description = "Fine-tune a saved model on a new corpus, extending its vocabularies.")
public final class FineTuneExample implements Callable<Integer> {

    private static final Path DIR = Path.of("finetune-out");

    @Option(names = "--model", paramLabel = "FILE", description = "The model to fine-tune (default: "
            + "finetune-out/dates.zip, trained first if absent).")
    Path modelFile = DIR.resolve("dates.zip");

    @Option(names = "--tsv", paramLabel = "FILE", description = "The new corpus (default: generated French dates).")
    Path tsv;

    @Option(names = "--extend", arity = "1", defaultValue = "true",
            description = "Extend the vocabularies with the new tokens: true or false (default ${DEFAULT-VALUE}).")
    boolean extend;

    @Option(names = "--minutes", defaultValue = "1", description = "Training budget (default ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to save the fine-tuned model (default: "
            + "finetune-out/dates-fr.zip).")
    Path out = DIR.resolve("dates-fr.zip");

    public static void main(String[] args) {
        ExampleCli.run(new FineTuneExample(), args);
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(modelFile)) {
            ModelArchive.save(DatesModels.train("luong-general", minutes), modelFile);
        }
        TranslationModel model = ModelArchive.load(modelFile);
        Path tsv = this.tsv != null ? this.tsv : frenchDates(DIR.resolve("dates-fr.tsv"));
        List<SentencePair> corpus = ParallelCorpus.read(tsv, true).pairs();
        List<SentencePair> train = corpus.subList(0, corpus.size() * 9 / 10);
        List<SentencePair> test = corpus.subList(train.size(), corpus.size());
        System.out.println(modelFile + " on " + tsv + ": " + VocabularyExtension.unkRates(model, corpus));
        System.out.printf(Locale.ROOT, "  before fine-tuning: %.1f%% exact match on %d held-out pairs%n",
                exactMatch(model, test), test.size());

        if (extend) {
            model = VocabularyExtension.extend(model, train, 1, 10_000);
            System.out.println("  vocabularies extended to " + model.sourceVocab().size() + " / " + model.targetVocab().size()
                    + " tokens: " + VocabularyExtension.unkRates(model, corpus));
        }
        Trainer.builder().model(model).data(TrainingData.batches(model, train, 64, 50, 1))
                .maxMinutes(minutes).build().train();
        System.out.printf(Locale.ROOT, "  after fine-tuning:  %.1f%% exact match on %d held-out pairs%n",
                exactMatch(model, test), test.size());
        ModelArchive.save(model, out);
        System.out.println("Fine-tuned model saved to " + out);
        return 0;
    }

    private static double exactMatch(TranslationModel model, List<SentencePair> test) {
        List<Translation> out = new Translator(model).translateAll(test.stream().map(SentencePair::source).toList());
        return ExactMatch.percent(out.stream().map(Translation::text).toList(),
                test.stream().map(SentencePair::target).toList());
    }

    /** Writes 5,000 dates in French (four styles, 1950 to 2049) with their ISO form, one TSV pair a line. */
    private static Path frenchDates(Path file) throws Exception {
        List<DateTimeFormatter> styles = new ArrayList<>();
        for (String p : List.of("EEEE d MMMM yyyy", "d MMMM yyyy", "d MMM yyyy", "EEE d MMM yyyy")) {
            styles.add(DateTimeFormatter.ofPattern(p, Locale.FRENCH));
        }
        Random random = new Random(3);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            LocalDate d = LocalDate.of(1950, 1, 1).plusDays(random.nextInt(36525));
            lines.add(styles.get(random.nextInt(styles.size())).format(d) + "\t" + d);
        }
        Files.createDirectories(file.getParent());
        return Files.write(file, lines);
    }
}
