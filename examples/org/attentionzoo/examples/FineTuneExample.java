package org.attentionzoo.examples;

import org.attentionzoo.AttentionZoo;
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
public final class FineTuneExample {

    public static void main(String[] args) throws Exception {
        AttentionZoo.configure();
        Options o = Options.parse(args, "--model", "--tsv", "--extend", "--minutes", "--out");
        Path dir = Path.of("finetune-out");
        Path modelFile = Path.of(o.text("--model", dir.resolve("dates.zip").toString()));
        if (!Files.exists(modelFile)) {
            ModelArchive.save(DatesModels.train("luong-general", o.number("--minutes", 1)), modelFile);
        }
        TranslationModel model = ModelArchive.load(modelFile);
        Path tsv = o.text("--tsv", null) != null ? Path.of(o.text("--tsv", null)) : frenchDates(dir.resolve("dates-fr.tsv"));
        List<SentencePair> corpus = ParallelCorpus.read(tsv, true).pairs();
        List<SentencePair> train = corpus.subList(0, corpus.size() * 9 / 10);
        List<SentencePair> test = corpus.subList(train.size(), corpus.size());
        System.out.println(modelFile + " on " + tsv + ": " + VocabularyExtension.unkRates(model, corpus));
        System.out.printf(Locale.ROOT, "  before fine-tuning: %.1f%% exact match on %d held-out pairs%n",
                exactMatch(model, test), test.size());

        if (Boolean.parseBoolean(o.text("--extend", "true"))) {
            model = VocabularyExtension.extend(model, train, 1, 10_000);
            System.out.println("  vocabularies extended to " + model.sourceVocab().size() + " / " + model.targetVocab().size()
                    + " tokens: " + VocabularyExtension.unkRates(model, corpus));
        }
        Trainer.builder().model(model).data(TrainingData.batches(model, train, 64, 50, 1))
                .maxMinutes(o.number("--minutes", 1)).build().train();
        System.out.printf(Locale.ROOT, "  after fine-tuning:  %.1f%% exact match on %d held-out pairs%n",
                exactMatch(model, test), test.size());
        Path out = Path.of(o.text("--out", dir.resolve("dates-fr.zip").toString()));
        ModelArchive.save(model, out);
        System.out.println("Fine-tuned model saved to " + out);
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
