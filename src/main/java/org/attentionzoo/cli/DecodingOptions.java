package org.attentionzoo.cli;

import org.attentionzoo.decode.BeamSearch;
import org.attentionzoo.decode.Decoding;
import picocli.CommandLine.Option;

/** The decoding options shared by translate and evaluate (a picocli mixin). */
final class DecodingOptions {

    @Option(names = "--beam", defaultValue = "1", description = "Beam size; 1 is greedy (default ${DEFAULT-VALUE}).")
    int beam;

    @Option(names = "--alpha", description = "GNMT length-normalisation exponent for beam search (default "
            + BeamSearch.DEFAULT_ALPHA + ").")
    Double alpha;

    @Option(names = "--replace-unk", description = "Replace each <unk> in the output by the source word it attended to most.")
    boolean replaceUnk;

    @Option(names = "--uncached", description = "Run the whole model on every prefix instead of the cached decoder "
            + "(encoder once, one decoder step per token): same output, slower; for checks and timing.")
    boolean uncached;

    @Option(names = "--max-source-length", paramLabel = "TOKENS", defaultValue = "200",
            description = "Refuse a source line of more tokens than this (after tokenization: subwords for a BPE model) "
                    + "with an error naming its line, instead of decoding it at a cost that grows with its length; 0: "
                    + "no limit (default ${DEFAULT-VALUE}, 4x train's default --max-length of 50).")
    int maxSourceLength;

    /**
     * The decoding these options ask for.
     *
     * @throws IllegalArgumentException naming the option whose value is out of range
     */
    Decoding decoding() {
        if (beam < 1) {
            throw new IllegalArgumentException("--beam must be at least 1 (1: greedy); got " + beam);
        }
        if (alpha != null && !(alpha >= 0 && alpha < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("--alpha must be a finite number >= 0; got " + alpha);
        }
        if (maxSourceLength < 0) {
            throw new IllegalArgumentException("--max-source-length must be >= 0 (0: no limit); got " + maxSourceLength);
        }
        return Decoding.beam(beam).alpha(alpha == null ? BeamSearch.DEFAULT_ALPHA : alpha).replaceUnk(replaceUnk)
                .cached(!uncached).maxSourceLength(maxSourceLength);
    }
}
