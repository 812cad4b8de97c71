package org.attentionzoo.cli;

import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import picocli.CommandLine;
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
@Command(name = "translate", description = "Translate stdin to stdout, one sentence per line (greedy or beam search).")
final class TranslateCommand implements Callable<Integer> {

    private static final int CHUNK = 256;

    @Option(names = "--model", required = true, description = "A model.zip written by train.")
    Path model;

    @CommandLine.Mixin
    DecodingOptions options = new DecodingOptions();

    @Option(names = "--nbest", defaultValue = "1",
            description = "Print the N best translations of each line as \"lineNumber ||| translation\" (N <= beam).")
    int nbest;

    @Override
    public Integer call() throws Exception {
        TranslationModel m = ModelArchive.load(model);
        if (nbest < 1 || nbest > options.beam) {
            throw new IllegalArgumentException("--nbest must be between 1 and the beam size (" + options.beam + "); got " + nbest);
        }
        Translator translator = new Translator(m, options.decoding());
        PrintStream out = System.out; // UTF-8: ZooCli installs QuietOutput's UTF-8 stream
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        int done = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lines.add(line);
            if (lines.size() == CHUNK) {
                done = flush(translator, lines, done, out);
            }
        }
        flush(translator, lines, done, out);
        return 0;
    }

    /** Translates and prints a chunk of lines; returns the number of lines done so far. */
    private int flush(Translator translator, List<String> lines, int done, PrintStream out) {
        if (nbest == 1) {
            for (Translation t : translator.translateAll(lines)) {
                out.println(t.text());
            }
        } else {
            List<List<Translation>> all = translator.translateAllNBest(lines, nbest);
            for (int i = 0; i < all.size(); i++) {
                for (Translation t : all.get(i)) {
                    out.println((done + i) + " ||| " + t.text());
                }
            }
        }
        int total = done + lines.size();
        lines.clear();
        return total;
    }
}
