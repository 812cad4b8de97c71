package com.example;

import org.attentionzoo.AttentionZoo;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.viz.TerminalHeatmap;

import java.nio.file.Path;

/** The README's library snippet as an application: {@code TranslateLine model.zip "a sentence"}. */
public final class TranslateLine {

    public static void main(String[] args) throws Exception {
        AttentionZoo.configure();   // optional: the command line's speed settings (shape cache, one ND4J thread per op)
        Path modelFile = Path.of(args[0]);
        String line = args[1];
        // README: from here to the heatmap, the lines of the README's snippet (ConsumerSnippetTest checks it).
        TranslationModel model = ModelArchive.load(modelFile);
        Translation t = new Translator(model).translate(line);
        System.out.println(t.text());
        System.out.println(TerminalHeatmap.render(t.alignment()));   // which source words each output word used
    }
}
