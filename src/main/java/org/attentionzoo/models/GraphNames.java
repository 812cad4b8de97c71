package org.attentionzoo.models;

/**
 * The vertex names every zoo graph shares, so that the trainer, decoders and model files work with
 * any model: two token-id inputs, one softmax output.
 */
public final class GraphNames {
    /** Source token ids, shape [mb, 1, tSrc], with a [mb, tSrc] mask. */
    public static final String SOURCE = "source";
    /** Decoder input ids (BOS + target), shape [mb, 1, tTgt], with a [mb, tTgt] mask. */
    public static final String TARGET_IN = "target_in";
    /** Source embedding layer; its nIn is the source vocabulary size. */
    public static final String SOURCE_EMBEDDING = "source_embedding";
    /** Target embedding layer; its nIn is the target vocabulary size. */
    public static final String TARGET_EMBEDDING = "target_embedding";
    /** Softmax over the target vocabulary, shape [mb, vTgt, tTgt]; its nOut is the target vocabulary size. */
    public static final String OUTPUT = "output";
    /**
     * RNN families: the top encoder layer's state at the last real source token, [mb, h], the fixed
     * context vector c that joins every decoder input.
     */
    public static final String CONTEXT = "context";
    /** RNN families: each target embedding joined to the context, [mb, e + h, tTgt]. */
    public static final String DECODER_INPUT = "decoder_input";

    /** RNN families: decoder layer {@code i} (0 at the bottom). */
    public static String decoderLayer(int i) {
        return "decoder_" + i;
    }

    private GraphNames() {
    }
}
