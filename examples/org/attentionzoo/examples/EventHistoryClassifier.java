package org.attentionzoo.examples;

import org.attentionzoo.data.ClassificationIterator;
import org.attentionzoo.data.EventHistoryTask;
import org.attentionzoo.data.LabeledSequence;
import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.models.EncoderClassifier;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.Zoo;
import org.attentionzoo.optim.GlobalNormClipping;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.evaluation.classification.Evaluation;

import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.util.concurrent.Callable;

/**
 * Sequence classification with the Transformer encoder alone ({@code transformer-encoder-classifier}): a
 * customer's event history (5 to 40 events such as login, view, purchase, complaint, cancel_plan) → churn,
 * loyal or active, by a rule that needs the order of events (see {@link EventHistoryTask}). Trains for a
 * budget of minutes or steps, then prints held-out accuracy against always guessing the most frequent class.
 *
 * <pre>
 * mvn -q compile exec:java -Dexec.mainClass=org.attentionzoo.examples.EventHistoryClassifier
 * mvn -q compile exec:java -Dexec.mainClass=org.attentionzoo.examples.EventHistoryClassifier -Dexec.args="--minutes 5"
 * </pre>
 */
@Command(name = "EventHistoryClassifier", mixinStandardHelpOptions = true,
        description = "Classify generated customer event histories with the Transformer encoder.")
public final class EventHistoryClassifier implements Callable<Integer> {

    @Option(names = "--minutes", defaultValue = "2", description = "Training budget (default ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--steps", defaultValue = "" + Integer.MAX_VALUE, description = "At most this many steps.")
    int maxSteps;

    public static void main(String[] args) {
        ExampleCli.run(new EventHistoryClassifier(), args);
    }

    @Override
    public Integer call() throws Exception {
        EventHistoryTask task = new EventHistoryTask();
        List<LabeledSequence> train = task.generate(20_000, 1);
        List<LabeledSequence> test = task.generate(2_000, 2);
        Vocabulary vocab = Vocabulary.of(EventHistoryTask.EVENTS);
        List<String> labels = EventHistoryTask.LABELS;

        ModelCard card = Zoo.card("transformer-encoder-classifier");
        ComputationGraph graph = EncoderClassifier.init(card, vocab.size(), labels.size());
        if (card.maxGradNorm() > 0) {
            graph.addListeners(new GlobalNormClipping(card.maxGradNorm()));   // what Trainer does for translation models
        }
        ClassificationIterator batches = new ClassificationIterator(train, vocab, labels, 64, true, 1);
        System.out.printf(Locale.ROOT, "Training %s (%,d parameters) on %,d histories for %.1f minutes...%n",
                card.name(), Zoo.parameterCount(graph), train.size(), minutes);
        long start = System.nanoTime();
        int steps = 0;
        while (steps < maxSteps && System.nanoTime() - start < minutes * 60e9) {
            if (!batches.hasNext()) {
                batches.reset();
            }
            graph.fit(batches.next());
            if (++steps % 200 == 0) {
                System.out.printf(Locale.ROOT, "step %5d  epoch %d  loss %.4f  %.0fs%n", steps, batches.epoch() + 1,
                        graph.score(), (System.nanoTime() - start) / 1e9);
            }
        }

        ClassificationIterator held = new ClassificationIterator(test, vocab, labels, 250, false, 0);
        Evaluation eval = graph.evaluate(held);
        System.out.printf(Locale.ROOT, "Trained %d steps in %.0f s.%n%s%n", steps, (System.nanoTime() - start) / 1e9,
                eval.confusionMatrix());
        System.out.printf(Locale.ROOT, "event-history accuracy: %.1f%% (%d held-out); majority-class baseline %.1f%%%n",
                100 * eval.accuracy(), test.size(), 100 * held.majorityFraction());
        return 0;
    }
}
