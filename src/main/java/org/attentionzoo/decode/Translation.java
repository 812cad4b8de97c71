package org.attentionzoo.decode;

import org.attentionzoo.viz.Alignment;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One translation: the source text, the output text (detokenized), the output tokens (UNK shown as
 * {@code <unk>}, never dropped), its scores, and the alignment the model used to produce them.
 *
 * <p><b>Scores.</b> {@link #logProb} is log P(Y | x) = Σ_t log p(y_t | y_&lt;t, x) over the output tokens and
 * the final EOS (a translation cut at the length limit has no EOS); {@link #score} is what the search ranks by,
 * log P(Y | x) / lp(|Y|) with GNMT's length penalty ({@link BeamSearch#lengthPenalty}, |Y| the decoding steps),
 * computed the same way for greedy decoding (beam search of size 1). Both are 0 for an empty source, which is
 * not decoded.
 *
 * <p><b>Alignment.</b> Rows are the output tokens followed by EOS, columns the source tokens; null for models
 * without attention. For the RNN attention models decoded by their cached step model it is the attention the
 * search itself used at each step, kept while decoding. Otherwise (the Transformer, {@code Decoding.cached(false)},
 * an output cut at the length limit) it comes from one teacher-forced pass of the output through the model
 * (the decoder is causal, so the pass sees what the search saw): with the batch when the {@link Translator} was
 * asked for alignments ({@link Decoding#alignments}), else on the first call of {@link #alignment}, with the
 * model's parameters at that moment, and kept. Safe to call from several threads.
 *
 * <p>Equality compares the source, text, tokens and both scores, not the alignment.
 */
public final class Translation {

    private final String source;
    private final String text;
    private final List<String> tokens;
    private final double logProb;
    private final double score;
    private Supplier<Alignment> pending;
    private Alignment alignment;

    /** A translation with its alignment (null: none) and scores 0. */
    public Translation(String source, String text, List<String> tokens, Alignment alignment) {
        this(source, text, tokens, alignment, 0, 0);
    }

    /** A translation with its alignment (null: none) and scores. */
    public Translation(String source, String text, List<String> tokens, Alignment alignment, double logProb, double score) {
        this.source = Objects.requireNonNull(source, "source");
        this.text = Objects.requireNonNull(text, "text");
        this.tokens = List.copyOf(tokens);
        this.alignment = alignment;
        this.logProb = logProb;
        this.score = score;
    }

    /** A translation whose alignment {@code alignment} computes on first use (it may return null: no attention). */
    static Translation lazy(String source, String text, List<String> tokens, double logProb, double score,
                            Supplier<Alignment> alignment) {
        Translation t = new Translation(source, text, tokens, null, logProb, score);
        t.pending = alignment;
        return t;
    }

    public String source() {
        return source;
    }

    public String text() {
        return text;
    }

    public List<String> tokens() {
        return tokens;
    }

    /** log P(Y | x), see the class comment. */
    public double logProb() {
        return logProb;
    }

    /** The length-normalised score the search ranked by, see the class comment. */
    public double score() {
        return score;
    }

    /** The alignment [output tokens + EOS, source tokens], or null for a model without attention. */
    public synchronized Alignment alignment() {
        if (pending != null) {
            alignment = pending.get();
            pending = null;
        }
        return alignment;
    }

    /**
     * The hard alignment in Pharaoh format, as Marian and fairseq print it: for each output token t (0-based,
     * EOS left out) the pair {@code s-t} with s the source token it attended to most (the first on ties), in
     * output order, separated by spaces; indices count the model's tokens (subwords for a BPE model). Empty for
     * an empty translation.
     *
     * @throws IllegalStateException if the model has no attention (no alignment)
     */
    public String pharaohAlignment() {
        Alignment a = alignment();
        if (a == null && !tokens.isEmpty()) {
            throw new IllegalStateException("no alignment: the model has no attention");
        }
        StringBuilder out = new StringBuilder();
        for (int t = 0; t < tokens.size(); t++) {
            out.append(t == 0 ? "" : " ").append(a.mostAttendedSource(t)).append('-').append(t);
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Translation t && source.equals(t.source) && text.equals(t.text) && tokens.equals(t.tokens)
                && Double.compare(logProb, t.logProb) == 0 && Double.compare(score, t.score) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, text, tokens, logProb, score);
    }

    @Override
    public String toString() {
        return "Translation[source=" + source + ", text=" + text + ", tokens=" + tokens + ", logProb=" + logProb
                + ", score=" + score + "]";
    }
}
