package org.attentionzoo.examples;

import org.attentionzoo.data.CopyTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.eval.ExactMatch;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.models.Zoo;
import org.attentionzoo.train.Trainer;
import org.attentionzoo.train.TrainingData;
import org.attentionzoo.train.TrainingSummary;

import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.util.concurrent.Callable;

/**
 * The Transformer (Vaswani et al. 2017) on the first task of the Annotated Transformer: copy random sequences
 * of 10 symbols out of 10. The {@code transformer-tiny} card: d_model 32, 2 heads, one encoder and one decoder
 * layer; the default 400 steps gave 99.5% exact match on 200 held-out sequences (one run, 2 cores).
 *
 * <pre>
 * mvn -q compile exec:java -Dexec.mainClass=org.attentionzoo.examples.TransformerExample
 * mvn -q compile exec:java -Dexec.mainClass=org.attentionzoo.examples.TransformerExample -Dexec.args="--steps 100"
 * </pre>
 */
@Command(name = "TransformerExample", mixinStandardHelpOptions = true,
        description = "The Transformer on the Annotated Transformer's copy task.")
public final class TransformerExample implements Callable<Integer> {

    @Option(names = "--steps", defaultValue = "400", description = "Training steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--model", defaultValue = "transformer-tiny", description = "Card (default ${DEFAULT-VALUE}).")
    String cardName;

    public static void main(String[] args) {
        ExampleCli.run(new TransformerExample(), args);
    }

    @Override
    public Integer call() throws Exception {
        CopyTask task = CopyTask.annotatedTransformer();
        List<SentencePair> train = task.generate(4000, 31);
        List<SentencePair> test = task.generate(200, 32);

        ModelCard card = Zoo.card(cardName);
        TranslationModel model = TranslationModel.create(card,
                TrainingData.sourceVocabulary(train, task.sourceTokenizer(), 1, 100),
                TrainingData.targetVocabulary(train, task.targetTokenizer(), 1, 100),
                task.sourceTokenizer(), task.targetTokenizer());
        System.out.printf(Locale.ROOT, "%s: %,d parameters%n", card.name(), Zoo.parameterCount(model.graph()));

        TrainingSummary s = Trainer.builder().model(model).data(TrainingData.batches(model, train, 32, 20, 1))
                .maxSteps(steps).logEvery(100).log(System.out).build().train();
        System.out.printf(Locale.ROOT, "Trained %d steps in %.0f s.%n", s.steps(), s.seconds());

        List<Translation> out = new Translator(model).translateAll(test.stream().map(SentencePair::source).toList());
        for (int i = 0; i < 3; i++) {
            System.out.printf("  %-22s -> %s%n", test.get(i).source(), out.get(i).text());
        }
        double em = ExactMatch.percent(out.stream().map(Translation::text).toList(),
                test.stream().map(SentencePair::target).toList());
        System.out.printf(Locale.ROOT, "copy exact-match: %.1f%% (%d held-out)%n", em, test.size());
        return 0;
    }
}
