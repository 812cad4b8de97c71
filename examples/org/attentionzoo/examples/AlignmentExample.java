package org.attentionzoo.examples;

import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.viz.HtmlHeatmap;
import org.attentionzoo.viz.PngHeatmap;
import org.attentionzoo.viz.TerminalHeatmap;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.util.concurrent.Callable;

/**
 * Looking inside a translation: the alignment a_ij (how much output token i drew on source token j) of an
 * attention or Transformer model, drawn in the terminal, as a PNG and as a self-contained HTML page.
 * Without {@code --model}, first trains a quick {@code luong-general} model on dates.
 *
 * <pre>
 * mvn -q compile exec:java -Dexec.mainClass=org.attentionzoo.examples.AlignmentExample
 * mvn -q compile exec:java -Dexec.mainClass=org.attentionzoo.examples.AlignmentExample \
 *     -Dexec.args="--model runs/en-fr/model.zip --src 'Save the file' --out align"
 * </pre>
 */
@Command(name = "AlignmentExample", mixinStandardHelpOptions = true,
        description = "Draw the alignment of one translation in the terminal, as PNG and as HTML.")
public final class AlignmentExample implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "FILE", description = "A model.zip (default: train a quick dates model).")
    Path modelFile;

    @Option(names = "--src", defaultValue = "Tuesday, November 24 2026",
            description = "The sentence to translate (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--out", defaultValue = "alignment-out", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--minutes", defaultValue = "1.5",
            description = "Training budget of the dates model without --model (default ${DEFAULT-VALUE}).")
    double minutes;

    public static void main(String[] args) {
        ExampleCli.run(new AlignmentExample(), args);
    }

    @Override
    public Integer call() throws Exception {
        TranslationModel model = modelFile != null ? ModelArchive.load(modelFile)
                : DatesModels.train("luong-general", minutes);

        Translation t = new Translator(model).translate(source);
        System.out.println(t.source() + "  ->  " + t.text());
        if (t.alignment() == null) {
            System.out.println("This model (" + model.card().family() + ") has no attention, so no alignment.");
            return 0;
        }
        System.out.println(TerminalHeatmap.render(t.alignment()));
        Path dir = Files.createDirectories(out);
        PngHeatmap.write(t.alignment(), dir.resolve("alignment.png"));
        HtmlHeatmap.write(t.alignment(), dir.resolve("alignment.html"));
        System.out.println("Drawn in " + dir.resolve("alignment.png") + " and " + dir.resolve("alignment.html"));
        return 0;
    }
}
