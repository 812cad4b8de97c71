package org.attentionzoo.examples;

import org.attentionzoo.data.ReverseTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.eval.ExactMatch;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.Seq2Seq;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.train.Trainer;
import org.attentionzoo.train.TrainingData;
import org.attentionzoo.train.TrainingSummary;

import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.util.concurrent.Callable;

/**
 * Plain Seq2seq (Sutskever et al. 2014; Cho et al. 2014): an LSTM encoder reads the source, its last state
 * is the one context vector, and an LSTM decoder writes the target from it. The task is {@code reverse}:
 * "3 17 5" → "5 17 3", 20 symbols, 3 to 10 of them.
 *
 * <pre>
 * mvn -q compile exec:java -Dexec.mainClass=org.attentionzoo.examples.Seq2SeqExample
 * mvn -q compile exec:java -Dexec.mainClass=org.attentionzoo.examples.Seq2SeqExample -Dexec.args="--steps 3000"
 * </pre>
 */
@Command(name = "Seq2SeqExample", mixinStandardHelpOptions = true,
        description = "Plain Seq2seq on the reverse task.")
public final class Seq2SeqExample implements Callable<Integer> {

    @Option(names = "--steps", defaultValue = "1500", description = "Training steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--minutes", defaultValue = "3", description = "Training budget (default ${DEFAULT-VALUE}).")
    double minutes;

    public static void main(String[] args) {
        ExampleCli.run(new Seq2SeqExample(), args);
    }

    @Override
    public Integer call() throws Exception {
        ReverseTask task = new ReverseTask();
        List<SentencePair> train = task.generate(20_000, 1);
        List<SentencePair> test = task.generate(300, 2);

        // The card in Java; Zoo.card("seq2seq-lstm") reads the same kind of card from models/.
        ModelCard card = Seq2Seq.builder().name("seq2seq-reverse").cell(ModelCard.Cell.LSTM)
                .embeddingSize(32).hiddenSize(128).learningRate(0.003).build();
        TranslationModel model = TranslationModel.create(card,
                TrainingData.sourceVocabulary(train, task.sourceTokenizer(), 1, 100),
                TrainingData.targetVocabulary(train, task.targetTokenizer(), 1, 100),
                task.sourceTokenizer(), task.targetTokenizer());

        TrainingSummary s = Trainer.builder().model(model).data(TrainingData.batches(model, train, 64, 20, 1))
                .maxSteps(steps).maxMinutes(minutes)
                .logEvery(250).log(System.out).build().train();
        System.out.printf(Locale.ROOT, "Trained %d steps in %.0f s.%n", s.steps(), s.seconds());

        List<Translation> out = new Translator(model).translateAll(test.stream().map(SentencePair::source).toList());
        for (int i = 0; i < 5; i++) {
            System.out.printf("  %-30s -> %s%n", test.get(i).source(), out.get(i).text());
        }
        double em = ExactMatch.percent(out.stream().map(Translation::text).toList(),
                test.stream().map(SentencePair::target).toList());
        System.out.printf(Locale.ROOT, "reverse exact-match: %.1f%% (%d held-out)%n", em, test.size());
        return 0;
    }
}
