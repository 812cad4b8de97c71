package org.attentionzoo.cli;

import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.viz.HtmlHeatmap;
import org.attentionzoo.viz.PngHeatmap;
import org.attentionzoo.viz.TerminalHeatmap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code align}: translates one sentence and draws the alignment the model used. */
@Command(name = "align", mixinStandardHelpOptions = true, description = "Translate one sentence and draw its alignment (PNG or HTML, and in the terminal).")
final class AlignCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "A model.zip written by train.")
    Path model;

    @Option(names = "--src", required = true, description = "The source sentence.")
    String source;

    @CommandLine.Mixin
    DecodingOptions options = new DecodingOptions();

    @Option(names = "--out", description = "Output file: .png or .html (default: terminal only).")
    Path out;

    @Override
    public Integer call() throws Exception {
        String name = out == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (out != null && !name.endsWith(".png") && !name.endsWith(".html")) {
            throw new IllegalArgumentException(out + ": the output must end in .png or .html");
        }
        TranslationModel m = ModelArchive.load(model, false);
        if (m.alignmentVertex() == null) {
            throw new IllegalArgumentException(model + ": a " + m.card().family().name().toLowerCase(Locale.ROOT)
                    + " model has no attention, so no alignment to draw");
        }
        Translation t = new Translator(m, options.decoding()).translate(source);
        System.out.println(t.text());
        System.out.println(TerminalHeatmap.render(t.alignment()));
        if (out != null) {
            if (name.endsWith(".png")) {
                PngHeatmap.write(t.alignment(), out);
            } else {
                HtmlHeatmap.write(t.alignment(), out);
            }
            System.out.println("written " + out);
        }
        return 0;
    }
}
