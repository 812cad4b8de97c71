package org.attentionzoo.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The {@code --ref} and {@code --hyp} files of the scoring commands ({@code bleu}, {@code chrf}), read line by line. */
final class ScoringInputs {

    @Option(names = "--ref", required = true, description = "Reference file, one sentence per line.")
    Path ref;

    @Option(names = "--hyp", description = "Hypothesis file (default: standard input).")
    Path hyp;

    /** Hypotheses and references, one sentence per line each, of the same length. */
    record Lines(List<String> hypotheses, List<String> references) {
    }

    /**
     * Reads both files (the hypotheses from standard input without {@code --hyp}).
     *
     * @throws IOException              if a file cannot be read
     * @throws IllegalArgumentException if the two differ in length (the message names both)
     */
    Lines read() throws IOException {
        List<String> refs = TextFiles.lines(ref);
        List<String> hyps = TextFiles.lines(hyp);
        TextFiles.sameLength(hyps, hyp == null ? "<stdin>" : hyp.toString(), refs, ref.toString());
        return new Lines(hyps, refs);
    }
}
