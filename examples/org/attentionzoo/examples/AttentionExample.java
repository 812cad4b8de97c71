package org.attentionzoo.examples;

import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.Tasks;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.eval.ExactMatch;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.viz.TerminalHeatmap;

import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.util.concurrent.Callable;

/**
 * Attention (Luong et al. 2015, "general" score h_tᵀ W_a h̄_s; or Bahdanau et al. 2015 with
 * {@code --model bahdanau}) on the {@code dates} task: human-written dates to ISO 8601. Each output character
 * is written from a weighted average of the encoder states, and the weights a_ij (the alignment) come with
 * every translation: one is drawn in the terminal.
 *
 * <pre>
 * mvn -q compile exec:java -Dexec.mainClass=org.attentionzoo.examples.AttentionExample
 * mvn -q compile exec:java -Dexec.mainClass=org.attentionzoo.examples.AttentionExample \
 *     -Dexec.args="--model bahdanau --minutes 3"
 * </pre>
 */
@Command(name = "AttentionExample", mixinStandardHelpOptions = true,
        description = "Train an attention model on generated dates and draw one alignment.")
public final class AttentionExample implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "luong-general", description = "Card (default ${DEFAULT-VALUE}).")
    String card;

    @Option(names = "--minutes", defaultValue = "2", description = "Training budget (default ${DEFAULT-VALUE}).")
    double minutes;

    public static void main(String[] args) {
        ExampleCli.run(new AttentionExample(), args);
    }

    @Override
    public Integer call() throws Exception {
        TranslationModel model = DatesModels.train(card, minutes);

        List<SentencePair> test = Tasks.forName("dates").generate(300, 2);
        List<Translation> out = new Translator(model).translateAll(test.stream().map(SentencePair::source).toList());
        for (int i = 0; i < 5; i++) {
            System.out.printf("  %-34s -> %s%n", test.get(i).source(), out.get(i).text());
        }
        Translation t = out.get(0);
        System.out.println();
        System.out.println("Which source words each output character attended to, for \"" + t.source() + "\":");
        System.out.println(TerminalHeatmap.render(t.alignment()));
        double em = ExactMatch.percent(out.stream().map(Translation::text).toList(),
                test.stream().map(SentencePair::target).toList());
        System.out.printf(Locale.ROOT, "dates exact-match: %.1f%% (%d generated with another seed)%n", em, test.size());
        return 0;
    }
}
