package org.attentionzoo.models;

import org.attentionzoo.layers.attention.AttentionSpan;
import org.attentionzoo.layers.attention.ScoreType;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonInclude;
import org.nd4j.shade.jackson.annotation.JsonPropertyOrder;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.DeserializationFeature;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A model definition as data: the small JSON document under {@code models/} that names a zoo
 * architecture and its sizes. The same card builds the same graph as the Java builders
 * ({@link Seq2Seq#builder()}), and a copy is stored inside every saved model.
 *
 * <p>Every field has a default, so a card only needs to say what differs. Unknown keys are an
 * error, so that a misspelt option is never silently ignored.
 *
 * <p>Two fields clip gradients, and may be combined: {@code maxGradNorm} c scales the whole gradient down to
 * global L2 norm c when it is longer (PyTorch's {@code clip_grad_norm_}, OpenNMT's {@code max_grad_norm}; the
 * norm is that of the gradient of the loss per target token, over every parameter; see
 * {@link org.attentionzoo.optim.GlobalNormClipping}), applied by the {@code Trainer} before the optimiser;
 * {@code gradientClip} clips each gradient element to [-gradientClip, gradientClip] inside DL4J's updater
 * (per layer, on the gradient of the loss per sentence), after the norm clipping. A card without
 * {@code maxGradNorm} (every card saved before the field existed) has no norm clipping. The shipped cards set
 * {@code maxGradNorm} 1.0 and {@code gradientClip} 0, the recipe of the PyTorch reference implementation,
 * except the toy {@code transformer-tiny}, which keeps element-wise clipping at 5 (with norm clipping at 1.0
 * it learnt the copy task more slowly: 96% instead of 100% exact match after 400 steps).
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "family", "description"})
public final class ModelCard {

    /**
     * The model families of the zoo: three sequence-to-sequence families and {@code classifier}, the
     * Transformer encoder alone with pooling ({@link EncoderClassifier}), which uses the transformer fields.
     */
    public enum Family { SEQ2SEQ, ATTENTION, TRANSFORMER, CLASSIFIER }

    /** The encoder of the attention family. */
    public enum Encoder {
        /** Our SameDiff bidirectional LSTM ({@code org.attentionzoo.layers.BiLSTM}), the shipped cards' encoder. */
        BILSTM,
        /** DL4J's built-in {@code Bidirectional(LSTM)}, for comparison. */
        BILSTM_BUILTIN,
        /**
         * A bidirectional LSTM assembled from graph vertices: two built-in LSTM layers (run by {@code GemmLstm}), the second reading
         * the source reversed within each sentence's real length ({@code SequenceReverse}: DL4J's
         * {@code ReverseTimeSeriesVertex} with a faster copy).
         */
        BILSTM_GRAPH,
        /** A one-directional LSTM. */
        LSTM;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** How the attention family's decoder uses attention. */
    public enum Decoder {
        /** Luong et al. 2015: attention after the decoder RNN, on its current state. */
        LUONG,
        /** Bahdanau et al. 2015: attention inside the recurrence, on the previous state; context into the RNN. */
        BAHDANAU
    }

    /** The recurrent cell used by the RNN families. */
    public enum Cell { LSTM, GRU }

    /**
     * Which embedding matrices share their values with the output projection (Press &amp; Wolf 2017; Vaswani et al.
     * 2017, section 3.4); see {@link TiedEmbeddings}.
     */
    public enum Tie {
        /** Every matrix its own (the default, and every card saved before the option existed). */
        NONE,
        /** The target embedding E_tgt [V_tgt, d] equals the transposed output weights W_out [d, V_tgt]. */
        DECODER,
        /** As {@link #DECODER}, and the source embedding equals it too; needs one joint vocabulary. */
        ALL;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_ENUMS_USING_TO_STRING)
            .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING);

    private String name = "custom";
    private String family = "seq2seq";
    private String description;
    private String cell = "lstm";
    private int embeddingSize = 128;
    private int hiddenSize = 256;
    private int encoderLayers = 1;
    private int decoderLayers = 1;
    private double dropout = 0.0;
    private String encoder;
    private String decoder;
    private String score;
    private Integer attentionSize;
    private Boolean inputFeeding;
    private String attention;
    private Integer window;
    private Integer heads;
    private Integer ffSize;
    private String positional;
    private String norm;
    private String ffActivation;
    private Integer maxPositions;
    private Double attentionDropout;
    private double learningRate = 1e-3;
    private String schedule;
    private Integer warmupSteps;
    private Double labelSmoothing;
    private double gradientClip = 5.0;
    private Double maxGradNorm;
    private String tieEmbeddings;
    private long seed = 42;

    ModelCard() {
    }

    public String name() { return name; }
    public Family family() { return parseEnum(Family.class, "family", family); }
    public String description() { return description; }
    public Cell cell() { return parseEnum(Cell.class, "cell", cell); }
    public int embeddingSize() { return embeddingSize; }
    public int hiddenSize() { return hiddenSize; }
    public int encoderLayers() { return encoderLayers; }
    public int decoderLayers() { return decoderLayers; }
    /** Attention family: the encoder (default bilstm). */
    public Encoder encoder() { return encoder == null ? Encoder.BILSTM : parseEnum(Encoder.class, "encoder", encoder); }
    /** Attention family: the decoder style (default luong). */
    public Decoder decoder() { return decoder == null ? Decoder.LUONG : parseEnum(Decoder.class, "decoder", decoder); }
    /** Attention family: the score function name, dot, general, concat or additive (default general). */
    public String score() { return score == null ? "general" : score.toLowerCase(Locale.ROOT); }
    /** Attention family: hidden size of the concat/additive scorer (default: hiddenSize). */
    public int attentionSize() { return attentionSize == null ? hiddenSize : attentionSize; }
    /** Attention family, Luong decoder: feed the previous attentional state into the decoder input. */
    public boolean inputFeeding() { return inputFeeding != null && inputFeeding; }
    /**
     * Attention family, Luong decoder: global (default), local-m or local-p (Luong et al. 2015, section 3.2; the
     * window of local attention, {@link org.attentionzoo.layers.attention.LocalAlignment}).
     */
    public AttentionSpan attention() { return attention == null ? AttentionSpan.GLOBAL : AttentionSpan.parse(attention); }
    /** Local attention: the window's half-width D (default 10, as in the paper). */
    public int window() { return window == null ? AttentionSpan.DEFAULT_WINDOW : window; }
    /** Transformer: attention heads h (default 4); d_k = hiddenSize / h. */
    public int heads() { return heads == null ? 4 : heads; }
    /** Transformer: inner size d_ff of the position-wise feed-forward network (default 4 · hiddenSize). */
    public int ffSize() { return ffSize == null ? 4 * hiddenSize : ffSize; }
    /** Transformer: "sinusoidal" (default, the paper's) or "learned" position encodings. */
    public String positional() { return positional == null ? "sinusoidal" : positional.toLowerCase(Locale.ROOT); }
    /** Transformer: "post" (default, the paper's: LayerNorm(x + Sublayer(x))) or "pre" (x + Sublayer(LayerNorm(x))). */
    public String norm() { return norm == null ? "post" : norm.toLowerCase(Locale.ROOT); }
    /** Transformer: "relu" (default, the paper's) or "gelu" in the feed-forward network. */
    public String ffActivation() { return ffActivation == null ? "relu" : ffActivation.toLowerCase(Locale.ROOT); }
    /** Transformer with learned positions: the longest sequence it can take (default 256). */
    public int maxPositions() { return maxPositions == null ? 256 : maxPositions; }
    /**
     * Dropout probability (the chance of dropping a unit), 0 for none: on the embedded inputs and before the
     * softmax in every family, between stacked RNN layers and before attention in the RNN families, and on
     * each sub-layer's output inside the Transformer's residual blocks (Vaswani et al. 2017, section 5.4).
     */
    public double dropout() { return dropout; }
    /**
     * Transformer and classifier: dropout probability on the attention weights (after the softmax), as
     * PyTorch's {@code nn.MultiheadAttention} has it; default 0 (the paper's section 5.4 has none).
     */
    public double attentionDropout() { return attentionDropout == null ? 0.0 : attentionDropout; }
    /** Adam's learning rate; with the noam schedule, the schedule's factor. */
    public double learningRate() { return learningRate; }
    /** "constant" (default) or "noam" (Vaswani et al. 2017: warm-up, then inverse square root decay). */
    public String schedule() { return schedule == null ? "constant" : schedule.toLowerCase(Locale.ROOT); }
    /** Warm-up steps of the noam schedule (default 4000). */
    public int warmupSteps() { return warmupSteps == null ? 4000 : warmupSteps; }
    /** Label smoothing ε of the cross entropy (default 0: none). */
    public double labelSmoothing() { return labelSmoothing == null ? 0.0 : labelSmoothing; }
    /**
     * Element-wise clipping threshold for gradients (DL4J's {@code ClipElementWiseAbsoluteValue} on every
     * layer, applied to the gradient of the loss per sentence inside the updater); 0 turns it off. Default 5.
     */
    public double gradientClip() { return gradientClip; }
    /**
     * Global-norm clipping threshold c (default 0: off): before every update the trainer scales the gradient
     * by min(1, c / ‖g‖₂), ‖g‖₂ the L2 norm over all parameters of the gradient of the loss per target token
     * ({@link org.attentionzoo.optim.GlobalNormClipping}). 1.0 is the PyTorch reference's clip_grad_norm_.
     */
    public double maxGradNorm() { return maxGradNorm == null ? 0.0 : maxGradNorm; }
    /**
     * Tied embeddings: none (default), decoder (target embedding = output projection transposed) or all (the source
     * embedding too, for a joint vocabulary). Needs embeddingSize equal to the output layer's input size
     * (hiddenSize), and is written into the card only when set, so cards without the key mean none.
     */
    public Tie tieEmbeddings() {
        return tieEmbeddings == null ? Tie.NONE : parseEnum(Tie.class, "tieEmbeddings", tieEmbeddings);
    }
    /** Seed for parameter initialisation. */
    public long seed() { return seed; }

    /** Starts a card with every default. */
    public static Builder builder() {
        return new Builder(new ModelCard());
    }

    /** A builder starting from this card's values. */
    public Builder toBuilder() {
        return new Builder(copy());
    }

    /**
     * Checks every field and says how to fix a bad one.
     *
     * @return this card
     * @throws IllegalArgumentException naming the field, its value and the allowed range
     */
    public ModelCard validate() {
        family();
        cell();
        require(embeddingSize > 0, "embeddingSize", embeddingSize, "a positive integer such as 128");
        require(hiddenSize > 0, "hiddenSize", hiddenSize, "a positive integer such as 256");
        require(encoderLayers >= 1, "encoderLayers", encoderLayers, "1 or more");
        require(decoderLayers >= 1, "decoderLayers", decoderLayers, "1 or more");
        require(dropout >= 0 && dropout < 1, "dropout", dropout, "in [0, 1), e.g. 0.1");
        require(learningRate > 0, "learningRate", learningRate, "positive, e.g. 0.001");
        require(gradientClip >= 0, "gradientClip", gradientClip, "0 (off) or positive, e.g. 5");
        require(maxGradNorm() >= 0 && Double.isFinite(maxGradNorm()), "maxGradNorm", maxGradNorm,
                "0 (off) or positive, e.g. 1.0");
        require(List.of("constant", "noam").contains(schedule()), "schedule", schedule, "constant or noam");
        require(warmupSteps() > 0, "warmupSteps", warmupSteps, "a positive number of steps, e.g. 4000");
        require(labelSmoothing() >= 0 && labelSmoothing() < 1, "labelSmoothing", labelSmoothing, "in [0, 1), e.g. 0.1");
        require(name != null && !name.isBlank(), "name", name, "a non-empty name");
        if (tieEmbeddings() != Tie.NONE) {
            require(family() != Family.CLASSIFIER, "tieEmbeddings", tieEmbeddings,
                    "none for the classifier family (it has no target embedding)");
            require(embeddingSize == hiddenSize, "tieEmbeddings", tieEmbeddings, "none unless embeddingSize ("
                    + embeddingSize + ") equals hiddenSize (" + hiddenSize + "), the output layer's input size");
        }
        boolean transformerFields = family() == Family.TRANSFORMER || family() == Family.CLASSIFIER;
        if (!transformerFields) {
            require(heads == null && ffSize == null && positional == null && norm == null && ffActivation == null
                    && maxPositions == null && attentionDropout == null, "family", family, "transformer or classifier to use heads,"
                    + " ffSize, positional, norm, ffActivation, maxPositions or attentionDropout");
        }
        if (transformerFields) {
            require(embeddingSize == hiddenSize, "embeddingSize", embeddingSize, "equal to hiddenSize (d_model) in a Transformer");
            require(heads() > 0 && hiddenSize % heads() == 0, "heads", heads, "a divisor of hiddenSize (d_k = hiddenSize / heads)");
            require(ffSize() > 0, "ffSize", ffSize, "a positive integer such as 4 · hiddenSize");
            require(List.of("sinusoidal", "learned").contains(positional()), "positional", positional, "sinusoidal or learned");
            require(List.of("post", "pre").contains(norm()), "norm", norm, "post or pre");
            require(List.of("relu", "gelu").contains(ffActivation()), "ffActivation", ffActivation, "relu or gelu");
            require(maxPositions() > 0, "maxPositions", maxPositions, "a positive integer");
            require(attentionDropout() >= 0 && attentionDropout() < 1, "attentionDropout", attentionDropout,
                    "in [0, 1), e.g. 0.1");
            require(family() != Family.CLASSIFIER || labelSmoothing() == 0, "labelSmoothing", labelSmoothing,
                    "0 for the classifier family (its output is a plain softmax with cross entropy)");
        } else if (family() == Family.ATTENTION) {
            encoder();
            decoder();
            require(ScoreType.names().contains(score()), "score", score, "one of " + String.join(", ", ScoreType.names()));
            require(attentionSize() > 0, "attentionSize", attentionSize, "a positive integer");
            require(attention == null || AttentionSpan.names().contains(attention.toLowerCase(Locale.ROOT)), "attention",
                    attention, "one of " + String.join(", ", AttentionSpan.names()));
            require(attention() == AttentionSpan.GLOBAL || decoder() == Decoder.LUONG && !inputFeeding(), "attention",
                    attention, "global with the bahdanau decoder or input feeding (local attention is for the luong decoder)");
            require(window == null || attention() != AttentionSpan.GLOBAL, "window", window,
                    "unset for global attention (it is the half-width of local-m and local-p's window)");
            require(window() >= 1, "window", window, "a positive integer such as 10");
            require(encoder() == Encoder.LSTM || hiddenSize % 2 == 0, "hiddenSize", hiddenSize,
                    "even for a bidirectional encoder (each direction has hiddenSize / 2 units)");
            require(cell() == Cell.LSTM, "cell", cell, "lstm for the attention family");
        } else {
            require(encoder == null && decoder == null && score == null && attentionSize == null && inputFeeding == null
                            && attention == null && window == null,
                    "family", family, "attention to use encoder, decoder, score, attentionSize, inputFeeding, attention or window");
        }
        return this;
    }

    /** The card as pretty-printed JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write model card " + name, e);
        }
    }

    /**
     * Reads and validates a card.
     *
     * @param json   the card text
     * @param origin where it came from, for error messages (a file name or resource)
     */
    public static ModelCard fromJson(String json, String origin) {
        try {
            return JSON.readValue(json, ModelCard.class).validate();
        } catch (org.nd4j.shade.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(origin + ": not a valid model card: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(origin + ": cannot read model card: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
        }
    }

    /** Reads a card from a JSON file. */
    public static ModelCard load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": model card file not found");
        }
        return fromJson(Files.readString(file), file.toString());
    }

    static ModelCard fromStream(InputStream in, String origin) throws IOException {
        return fromJson(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), origin);
    }

    private ModelCard copy() {
        return fromJsonUnchecked(toJson());
    }

    private static ModelCard fromJsonUnchecked(String json) {
        try {
            return JSON.readValue(json, ModelCard.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String field, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value) || e.toString().equalsIgnoreCase(value)) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(e.toString().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException("\"" + field + "\": \"" + value + "\" is not one of: " + allowed);
    }

    private static void require(boolean ok, String field, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("\"" + field + "\" is " + value + "; it must be " + expected);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelCard other && toJson().equals(other.toJson());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toJson());
    }

    @Override
    public String toString() {
        return toJson();
    }

    /** Fluent setter for each field of a card; {@link #build()} validates. */
    public static final class Builder {
        private final ModelCard card;

        private Builder(ModelCard card) {
            this.card = card;
        }

        public Builder name(String v) { card.name = v; return this; }
        public Builder family(Family v) { card.family = v.name().toLowerCase(Locale.ROOT); return this; }
        public Builder description(String v) { card.description = v; return this; }
        public Builder cell(Cell v) { card.cell = v.name().toLowerCase(Locale.ROOT); return this; }
        public Builder embeddingSize(int v) { card.embeddingSize = v; return this; }
        public Builder hiddenSize(int v) { card.hiddenSize = v; return this; }
        public Builder encoderLayers(int v) { card.encoderLayers = v; return this; }
        public Builder decoderLayers(int v) { card.decoderLayers = v; return this; }
        public Builder dropout(double v) { card.dropout = v; return this; }
        public Builder learningRate(double v) { card.learningRate = v; return this; }
        public Builder gradientClip(double v) { card.gradientClip = v; return this; }
        /** Global-norm clipping threshold; 0 for none. */
        public Builder maxGradNorm(double v) { card.maxGradNorm = v; return this; }
        public Builder seed(long v) { card.seed = v; return this; }
        /** none, decoder or all; none is left out of the JSON. */
        public Builder tieEmbeddings(Tie v) { card.tieEmbeddings = v == Tie.NONE ? null : v.toString(); return this; }
        public Builder encoder(Encoder v) { card.encoder = v.toString(); return this; }
        public Builder decoder(Decoder v) { card.decoder = v.name().toLowerCase(Locale.ROOT); return this; }
        /** dot, general, concat or additive. */
        public Builder score(String v) { card.score = v; return this; }
        public Builder attentionSize(int v) { card.attentionSize = v; return this; }
        public Builder inputFeeding(boolean v) { card.inputFeeding = v; return this; }
        /** global, local-m or local-p. */
        public Builder attention(AttentionSpan v) { card.attention = v.toString(); return this; }
        /** Local attention's half-width D. */
        public Builder window(int v) { card.window = v; return this; }
        /** "constant" or "noam". */
        public Builder schedule(String v) { card.schedule = v; return this; }
        public Builder warmupSteps(int v) { card.warmupSteps = v; return this; }
        public Builder labelSmoothing(double v) { card.labelSmoothing = v; return this; }
        public Builder heads(int v) { card.heads = v; return this; }
        public Builder ffSize(int v) { card.ffSize = v; return this; }
        /** "sinusoidal" or "learned". */
        public Builder positional(String v) { card.positional = v; return this; }
        /** "post" or "pre". */
        public Builder norm(String v) { card.norm = v; return this; }
        /** "relu" or "gelu". */
        public Builder ffActivation(String v) { card.ffActivation = v; return this; }
        public Builder maxPositions(int v) { card.maxPositions = v; return this; }
        public Builder attentionDropout(double v) { card.attentionDropout = v; return this; }

        public ModelCard build() {
            return card.copy().validate();
        }
    }
}
