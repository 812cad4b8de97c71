package org.attentionzoo.models;

/**
 * The vertex names of the zoo's graphs, built here only: the graph builders name their vertices with these
 * and the decoders find a model's parts by them, so the two cannot drift apart. The names are written into
 * every saved model, so changing one breaks the models saved before.
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

    /** RNN families: {@link #CONTEXT} repeated over the target steps, [mb, h, tTgt]. */
    public static final String CONTEXT_REPEATED = "context_repeated";
    /** Attention family: the attention vertex (or the attention decoder), whose alignment weights can be read. */
    public static final String ATTENTION = "attention";
    /** Transformer encoders: the source embedding scaled by √d_model plus the position encodings. */
    public static final String SOURCE_POSITIONS = "source_positions";
    /** Transformer: the target embedding scaled by √d_model plus the position encodings. */
    public static final String TARGET_POSITIONS = "target_positions";
    /**
     * Transformer encoders: the embedded source after dropout, the vertex {@code dropoutBefore(SOURCE_EMBEDDED)}
     * (no vertex has this name itself; without dropout the encoder reads {@link #SOURCE_POSITIONS}).
     */
    public static final String SOURCE_EMBEDDED = "source_embedded";
    /** Transformer: the embedded target after dropout, the vertex {@code dropoutBefore(TARGET_EMBEDDED)}. */
    public static final String TARGET_EMBEDDED = "target_embedded";

    /** Encoder layer {@code i} (0 at the bottom), [mb, h, tSrc]; for a bilstm-graph encoder, the merge of both directions. */
    public static String encoderLayer(int i) {
        return "encoder_" + i;
    }

    /** Decoder layer {@code i} (0 at the bottom). */
    public static String decoderLayer(int i) {
        return "decoder_" + i;
    }

    /** The dropout vertex in front of vertex {@code name}. */
    public static String dropoutBefore(String name) {
        return name + "_dropout";
    }

    /** A bilstm-graph encoder layer's forward LSTM, reading the layer's input. */
    public static String forwardLstm(String layer) {
        return layer + "_fwd";
    }

    /** A bilstm-graph encoder layer's input, each sentence reversed within its length. */
    public static String reversedInput(String layer) {
        return layer + "_reversed";
    }

    /** A bilstm-graph encoder layer's backward LSTM, reading {@link #reversedInput}. */
    public static String backwardLstm(String layer) {
        return layer + "_bwd";
    }

    /** A bilstm-graph encoder layer's backward LSTM output put back in source order (reversed again). */
    public static String backwardInSourceOrder(String layer) {
        return layer + "_bwd_reversed";
    }

    private GraphNames() {
    }
}
