package org.attentionzoo.decode;

import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.viz.Alignment;

import java.util.ArrayList;
import java.util.List;

/**
 * Unknown-word replacement (Luong et al. 2015, "Addressing the Rare Word Problem in NMT", and the
 * attention variant of Jean et al. 2015): each output {@code <unk>} is replaced by the source token it
 * attended to most, y_t := x_{s*} with s* = argmax_s a_t(s), the first such s on ties. It copies
 * names and numbers the target vocabulary lacks; the source tokens are the tokenizer's, so they are
 * copied even when the source vocabulary does not know them either.
 */
public final class UnkReplacement {

    private UnkReplacement() {
    }

    /**
     * @param outputTokens the output tokens, {@link Vocabulary#UNK} for unknown ones
     * @param sourceTokens the source tokens, one per alignment column
     * @param alignment    weights whose row t belongs to output token t (further rows, such as EOS, are ignored)
     * @return a new list, every {@code <unk>} replaced and every other token kept
     * @throws IllegalArgumentException if the alignment has fewer rows than outputs or columns than sources
     */
    public static List<String> apply(List<String> outputTokens, List<String> sourceTokens, Alignment alignment) {
        if (alignment.rows() < outputTokens.size() || alignment.columns() != sourceTokens.size()) {
            throw new IllegalArgumentException("alignment of " + alignment.rows() + " x " + alignment.columns()
                    + " does not fit " + outputTokens.size() + " output and " + sourceTokens.size() + " source tokens");
        }
        List<String> out = new ArrayList<>(outputTokens.size());
        for (int t = 0; t < outputTokens.size(); t++) {
            String token = outputTokens.get(t);
            out.add(Vocabulary.UNK.equals(token) ? sourceTokens.get(alignment.mostAttendedSource(t)) : token);
        }
        return out;
    }
}
