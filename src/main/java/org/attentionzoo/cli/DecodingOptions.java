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

    Decoding decoding() {
        return Decoding.beam(beam).alpha(alpha == null ? BeamSearch.DEFAULT_ALPHA : alpha).replaceUnk(replaceUnk)
                .cached(!uncached);
    }
}
