package org.attentionzoo.examples;

import org.attentionzoo.AttentionZoo;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.viz.HtmlHeatmap;
import org.attentionzoo.viz.PngHeatmap;
import org.attentionzoo.viz.TerminalHeatmap;

import java.nio.file.Files;
import java.nio.file.Path;

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
public final class AlignmentExample {

    public static void main(String[] args) throws Exception {
        AttentionZoo.configure();
        Options o = Options.parse(args, "--model", "--src", "--out", "--minutes");
        TranslationModel model = o.text("--model", null) != null
                ? ModelArchive.load(Path.of(o.text("--model", null)))
                : DatesModels.train("luong-general", o.number("--minutes", 1.5));

        Translation t = new Translator(model).translate(o.text("--src", "Tuesday, November 24 2026"));
        System.out.println(t.source() + "  ->  " + t.text());
        if (t.alignment() == null) {
            System.out.println("This model (" + model.card().family() + ") has no attention, so no alignment.");
            return;
        }
        System.out.println(TerminalHeatmap.render(t.alignment()));
        Path dir = Files.createDirectories(Path.of(o.text("--out", "alignment-out")));
        PngHeatmap.write(t.alignment(), dir.resolve("alignment.png"));
        HtmlHeatmap.write(t.alignment(), dir.resolve("alignment.html"));
        System.out.println("Drawn in " + dir.resolve("alignment.png") + " and " + dir.resolve("alignment.html"));
    }
}
