package org.attentionzoo.decode;

import java.util.Objects;

/**
 * How a {@link Translator} decodes: greedy (beam size 1) or beam search of size K with GNMT length
 * normalisation α, within a length limit, optionally replacing {@code <unk>} outputs by the source token
 * they attended to ({@link UnkReplacement}, attention models only).
 *
 * <pre>{@code
 * new Translator(model, Decoding.beam(5).alpha(0.6).replaceUnk(true));
 * }</pre>
 *
 * @param beamSize   K; 1 is greedy decoding
 * @param alpha      α ≥ 0 of {@link BeamSearch#lengthPenalty}; no effect when K = 1
 * @param limit      the longest output per source length
 * @param replaceUnk whether to replace {@code <unk>} outputs
 * @param cached     whether to decode with the model's cached step model (encoder once per sentence, one
 *                   decoder step per token; see {@link StepModels}) where its family has one, or with
 *                   {@link GraphStepModel} (the whole graph on every prefix) — same results, for checks and timing
 * @param alignments whether the alignments that decoding does not keep (see {@link Translation}) are computed
 *                   with the batch (one teacher-forced pass per batch); otherwise a translation computes its own
 *                   when {@link Translation#alignment} is first called. {@code <unk>} replacement computes them
 *                   with the batch either way.
 * @param maxSourceLength the most source tokens (after tokenization: subwords for a BPE model) a sentence may
 *                   have; a longer one is refused ({@link Translator.SourceTooLongException}) rather than
 *                   decoded at a cost that grows with its length. 0: no limit.
 */
public record Decoding(int beamSize, double alpha, LengthLimit limit, boolean replaceUnk, boolean cached,
                       boolean alignments, int maxSourceLength) {

    public Decoding {
        if (beamSize < 1) {
            throw new IllegalArgumentException("beam size must be at least 1, got " + beamSize);
        }
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("the length-penalty alpha must be finite and >= 0, got " + alpha);
        }
        Objects.requireNonNull(limit, "limit");
        if (maxSourceLength < 0) {
            throw new IllegalArgumentException("the maximum source length must be >= 0 (0: no limit), got " + maxSourceLength);
        }
    }

    /** Greedy decoding, the default length limit, {@code <unk>} kept. */
    public static Decoding greedy() {
        return beam(1);
    }

    /**
     * Beam size {@code k}, α = {@link BeamSearch#DEFAULT_ALPHA}, the default length limit, {@code <unk>} kept,
     * cached decoding, alignments on demand.
     */
    public static Decoding beam(int k) {
        return new Decoding(k, BeamSearch.DEFAULT_ALPHA, LengthLimit.DEFAULT, false, true, false, 0);
    }

    /** This decoding with length-penalty α. */
    public Decoding alpha(double a) {
        return new Decoding(beamSize, a, limit, replaceUnk, cached, alignments, maxSourceLength);
    }

    /** This decoding with another length limit. */
    public Decoding limit(LengthLimit l) {
        return new Decoding(beamSize, alpha, l, replaceUnk, cached, alignments, maxSourceLength);
    }

    /** This decoding with {@code <unk>} replacement on or off. */
    public Decoding replaceUnk(boolean on) {
        return new Decoding(beamSize, alpha, limit, on, cached, alignments, maxSourceLength);
    }

    /** This decoding with the cached step model on, or off ({@link GraphStepModel}). */
    public Decoding cached(boolean on) {
        return new Decoding(beamSize, alpha, limit, replaceUnk, on, alignments, maxSourceLength);
    }

    /** This decoding with alignments computed with each batch (on), or on demand (off). */
    public Decoding alignments(boolean on) {
        return new Decoding(beamSize, alpha, limit, replaceUnk, cached, on, maxSourceLength);
    }

    /** This decoding with a limit on source tokens (0: none). */
    public Decoding maxSourceLength(int tokens) {
        return new Decoding(beamSize, alpha, limit, replaceUnk, cached, alignments, tokens);
    }
}
