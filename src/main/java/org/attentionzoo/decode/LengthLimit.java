package org.attentionzoo.decode;

/**
 * The longest output a decoder may produce for a source of n tokens: a·n + b tokens, EOS included
 * (the PyTorch reference implementation uses a = 2, b = 10).
 */
public record LengthLimit(double a, int b) {

    /** 2·n + 10. */
    public static final LengthLimit DEFAULT = new LengthLimit(2.0, 10);

    public LengthLimit {
        if (a < 0 || b < 1) {
            throw new IllegalArgumentException("length limit a·n + b needs a >= 0 and b >= 1; got a=" + a + ", b=" + b);
        }
    }

    /** The maximum number of decoding steps for a source of {@code sourceLength} tokens. */
    public int maxTargetLength(int sourceLength) {
        return (int) Math.floor(a * sourceLength) + b;
    }
}
