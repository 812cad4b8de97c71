package org.attentionzoo.spark;

import org.attentionzoo.decode.BeamSearch;
import org.attentionzoo.decode.Decoding;

import java.io.Serializable;

/**
 * How executors decode: the settings of {@code translate}'s options that travel with a Spark task (a
 * {@link Decoding} is built from them on the executor).
 *
 * @param beam            beam size; 1 is greedy
 * @param alpha           length-normalisation exponent of beam search
 * @param maxSourceLength a source of more tokens than this is an error naming its line; 0: no limit
 * @param batchSize       lines handed to the {@link org.attentionzoo.decode.Translator} at once
 */
public record TranslateOptions(int beam, double alpha, int maxSourceLength, int batchSize) implements Serializable {

    /**
     * {@code translate}'s defaults: greedy, alpha 1.0, at most 200 source tokens, and 1,024 lines per decoding call
     * (the translator sorts them by length and decodes them in batches of 64, as {@code translate} does with a file).
     */
    public static final TranslateOptions DEFAULTS = new TranslateOptions(1, BeamSearch.DEFAULT_ALPHA, 200, 1024);

    /** @throws IllegalArgumentException naming the option whose value is out of range */
    public TranslateOptions {
        if (beam < 1) {
            throw new IllegalArgumentException("--beam must be at least 1 (1: greedy); got " + beam);
        }
        if (!(alpha >= 0 && alpha < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("--alpha must be a finite number >= 0; got " + alpha);
        }
        if (maxSourceLength < 0) {
            throw new IllegalArgumentException("--max-source-length must be >= 0 (0: no limit); got " + maxSourceLength);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1; got " + batchSize);
        }
    }

    /** The same options with beam size {@code k}. */
    public TranslateOptions beam(int k) {
        return new TranslateOptions(k, alpha, maxSourceLength, batchSize);
    }

    /** The same options with batches of {@code lines}. */
    public TranslateOptions batchSize(int lines) {
        return new TranslateOptions(beam, alpha, maxSourceLength, lines);
    }

    /** The same options with a source length limit of {@code tokens} (0: none). */
    public TranslateOptions maxSourceLength(int tokens) {
        return new TranslateOptions(beam, alpha, tokens, batchSize);
    }

    /** The decoding these options ask for, as {@code translate} builds it. */
    public Decoding decoding() {
        return Decoding.beam(beam).alpha(alpha).maxSourceLength(maxSourceLength);
    }
}
