package org.attentionzoo.examples;

import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.Task;
import org.attentionzoo.data.Tasks;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.eval.ExactMatch;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.models.Zoo;
import org.attentionzoo.train.Trainer;
import org.attentionzoo.train.TrainingData;
import org.attentionzoo.train.TrainingSummary;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.util.concurrent.Callable;

/**
 * Plain Seq2seq against the attention models at the same training budget (same steps, batch, sizes
 * and optimiser) on the generated {@code dates} task; prints one table of held-out exact match.
 *
 * <pre>
 * mvn -q compile exec:java -Dexec.mainClass=org.attentionzoo.examples.CompareAttention -Dexec.args="--steps 1500"
 * </pre>
 * {@code --transformer-warmup N} trains the Transformer with the Noam schedule of its card (factor 1,
 * warm-up N steps) instead of the constant learning rate: a post-LN Transformer barely moves in a few
 * hundred steps at a constant rate.
 */
@Command(name = "CompareAttention", mixinStandardHelpOptions = true,
        description = "Seq2seq against the attention models at the same budget on generated dates.")
public final class CompareAttention implements Callable<Integer> {

    @Option(names = "--steps", defaultValue = "1500", description = "Training steps per model (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--hidden", defaultValue = "128", description = "Hidden size (default ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--cards", split = ",", paramLabel = "CARD", description = "Cards to compare, comma-separated"
            + " (default: seq2seq-lstm, luong-dot, luong-general, luong-concat, luong-general-feed, bahdanau,"
            + " transformer-small).")
    List<String> cards = new ArrayList<>(List.of("seq2seq-lstm", "luong-dot", "luong-general", "luong-concat",
            "luong-general-feed", "bahdanau", "transformer-small"));

    @Option(names = "--transformer-warmup", defaultValue = "0", paramLabel = "STEPS",
            description = "Train the Transformer with the Noam schedule, this warm-up; 0 for a constant rate (default"
                    + " ${DEFAULT-VALUE}).")
    int noamWarmup;

    public static void main(String[] args) {
        ExampleCli.run(new CompareAttention(), args);
    }

    @Override
    public Integer call() throws Exception {
        Task task = Tasks.forName("dates");
        List<SentencePair> train = task.generate(30_000, 1);
        Set<String> seen = new HashSet<>();
        train.forEach(p -> seen.add(p.source()));
        List<SentencePair> heldOut = task.generate(1500, 2).stream().filter(p -> !seen.contains(p.source())).limit(500).toList();

        System.out.printf(Locale.ROOT, "dates, %d steps of 64 pairs, embedding 64 (Transformer: d_model = hidden), hidden %d,"
                + " constant Adam 0.003%s, no dropout, greedy decoding%n", steps, hidden, noamWarmup > 0
                ? " (Transformer: Noam schedule, factor 1, warm-up " + noamWarmup + " steps)" : "");
        System.out.printf("%-16s %12s %10s %12s%n", "model", "parameters", "seconds", "exact match");
        for (String name : cards) {
            ModelCard card = SmallCards.resize(Zoo.card(name), name, hidden);
            if (noamWarmup > 0 && card.family() == ModelCard.Family.TRANSFORMER) {
                card = card.toBuilder().schedule("noam").learningRate(1.0).warmupSteps(noamWarmup).build();
            }
            TranslationModel model = TranslationModel.create(card,
                    TrainingData.sourceVocabulary(train, task.sourceTokenizer(), 1, 10_000),
                    TrainingData.targetVocabulary(train, task.targetTokenizer(), 1, 10_000),
                    task.sourceTokenizer(), task.targetTokenizer());
            TrainingSummary s = Trainer.builder().model(model).data(TrainingData.batches(model, train, 64, 50, 1))
                    .maxSteps(steps).build().train();
            List<Translation> out = new Translator(model).translateAll(heldOut.stream().map(SentencePair::source).toList());
            double em = ExactMatch.percent(out.stream().map(Translation::text).toList(),
                    heldOut.stream().map(SentencePair::target).toList());
            System.out.printf(Locale.ROOT, "%-16s %,12d %10.0f %11.1f%%%n", name, Zoo.parameterCount(model.graph()),
                    s.seconds(), em);
        }
        return 0;
    }
}
