package org.attentionzoo.cli;

import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code translate}: source lines on stdin, translations on stdout, one per line, order kept. */
@Command(name = "translate", description = "Translate stdin to stdout, one sentence per line.")
final class TranslateCommand implements Callable<Integer> {

    private static final int CHUNK = 256;

    @Option(names = "--model", required = true, description = "A model.zip written by train.")
    Path model;

    @Override
    public Integer call() throws Exception {
        TranslationModel m = ModelArchive.load(model);
        Translator translator = new Translator(m);
        PrintStream out = System.out; // UTF-8: ZooCli installs QuietOutput's UTF-8 stream
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lines.add(line);
            if (lines.size() == CHUNK) {
                flush(translator, lines, out);
            }
        }
        flush(translator, lines, out);
        return 0;
    }

    private static void flush(Translator translator, List<String> lines, PrintStream out) {
        for (Translation t : translator.translateAll(lines)) {
            out.println(t.text());
        }
        lines.clear();
    }
}
