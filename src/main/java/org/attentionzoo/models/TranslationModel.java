package org.attentionzoo.models;

import org.attentionzoo.data.BpeTokenizer;
import org.attentionzoo.data.Placeholders;
import org.attentionzoo.data.Tokenizer;
import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.layers.attention.AlignmentVertex;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to translate: the trained graph, the card that built it, both vocabularies and
 * tokenizers, and where it came from. This is what a model file holds.
 */
public final class TranslationModel {

    private final ModelCard card;
    private final ComputationGraph graph;
    private final Vocabulary sourceVocab;
    private final Vocabulary targetVocab;
    private final Tokenizer sourceTokenizer;
    private final Tokenizer targetTokenizer;
    private final Map<String, String> provenance;
    private final boolean placeholders;

    public TranslationModel(ModelCard card, ComputationGraph graph, Vocabulary sourceVocab, Vocabulary targetVocab,
                            Tokenizer sourceTokenizer, Tokenizer targetTokenizer, Map<String, String> provenance) {
        this(card, graph, sourceVocab, targetVocab, sourceTokenizer, targetTokenizer, provenance, false);
    }

    /**
     * @param placeholders whether the model was trained on text with its placeholders masked
     *                     ({@link Placeholders}), so that sources are masked before translation and outputs unmasked
     */
    public TranslationModel(ModelCard card, ComputationGraph graph, Vocabulary sourceVocab, Vocabulary targetVocab,
                            Tokenizer sourceTokenizer, Tokenizer targetTokenizer, Map<String, String> provenance,
                            boolean placeholders) {
        this.placeholders = placeholders;
        this.card = Objects.requireNonNull(card, "card");
        this.graph = Objects.requireNonNull(graph, "graph");
        this.sourceVocab = Objects.requireNonNull(sourceVocab, "sourceVocab");
        this.targetVocab = Objects.requireNonNull(targetVocab, "targetVocab");
        this.sourceTokenizer = limitedTo(Objects.requireNonNull(sourceTokenizer, "sourceTokenizer"), sourceVocab);
        this.targetTokenizer = limitedTo(Objects.requireNonNull(targetTokenizer, "targetTokenizer"), targetVocab);
        this.provenance = new LinkedHashMap<>(provenance);
        checkVocabularies();
    }

    /**
     * A BPE tokenizer limited to its vocabulary ({@link BpeTokenizer#restrictedTo}): subwords the vocabulary lacks
     * are split into ones it has rather than read as {@code <unk>}. Other tokenizers as they are.
     */
    private static Tokenizer limitedTo(Tokenizer tokenizer, Vocabulary vocab) {
        return tokenizer instanceof BpeTokenizer bpe ? bpe.restrictedTo(vocab.tokens()) : tokenizer;
    }

    /** A fresh, untrained model for a card and vocabularies. */
    public static TranslationModel create(ModelCard card, Vocabulary sourceVocab, Vocabulary targetVocab,
                                          Tokenizer sourceTokenizer, Tokenizer targetTokenizer) {
        ComputationGraph graph = Zoo.init(card, sourceVocab.size(), targetVocab.size());
        return new TranslationModel(card, graph, sourceVocab, targetVocab, sourceTokenizer, targetTokenizer, Map.of());
    }

    public ModelCard card() { return card; }
    /** Whether sources are masked ({@link Placeholders}) before translation and outputs unmasked after. */
    public boolean masksPlaceholders() { return placeholders; }
    /** This model (sharing its graph) with placeholder masking on or off. */
    public TranslationModel withPlaceholders(boolean on) {
        return new TranslationModel(card, graph, sourceVocab, targetVocab, sourceTokenizer, targetTokenizer, provenance, on);
    }
    public ComputationGraph graph() { return graph; }
    public Vocabulary sourceVocab() { return sourceVocab; }
    public Vocabulary targetVocab() { return targetVocab; }
    public Tokenizer sourceTokenizer() { return sourceTokenizer; }
    public Tokenizer targetTokenizer() { return targetTokenizer; }

    /**
     * The name of the vertex whose alignment weights can be read ({@code AlignmentProbe}): the last one
     * in the graph (for a Transformer, the cross-attention of the last decoder layer), or null for models
     * without attention such as plain Seq2seq.
     */
    public String alignmentVertex() {
        String last = null;
        for (var e : graph.getConfiguration().getVertices().entrySet()) {
            if (e.getValue() instanceof AlignmentVertex) {
                last = e.getKey();
            }
        }
        return last;
    }

    /** Where the model came from (corpus hash, steps, date, versions); a copy. */
    public Map<String, String> provenance() {
        return new LinkedHashMap<>(provenance);
    }

    /** Records or replaces provenance entries. */
    public void putProvenance(Map<String, String> entries) {
        provenance.putAll(entries);
    }

    /**
     * Checks that the graph's embedding and softmax sizes equal the vocabulary sizes, and that tied embeddings
     * can be tied (one joint vocabulary for {@code all}).
     *
     * @throws IllegalArgumentException naming both sizes
     */
    private void checkVocabularies() {
        check(GraphNames.SOURCE_EMBEDDING, inputSize(GraphNames.SOURCE_EMBEDDING), sourceVocab.size(), "source");
        check(GraphNames.TARGET_EMBEDDING, inputSize(GraphNames.TARGET_EMBEDDING), targetVocab.size(), "target");
        long out = ((FeedForwardLayer) graph.getLayer(GraphNames.OUTPUT).conf().getLayer()).getNOut();
        check(GraphNames.OUTPUT, out, targetVocab.size(), "target");
        if (card.tieEmbeddings() == ModelCard.Tie.ALL && !sourceVocab.tokens().equals(targetVocab.tokens())) {
            throw new IllegalArgumentException("tieEmbeddings all needs one joint vocabulary for source and target"
                    + " (train --joint-bpe); the source has " + sourceVocab.size() + " entries, the target "
                    + targetVocab.size() + ", not the same tokens");
        }
        TiedEmbeddings.check(graph, card.tieEmbeddings());
    }

    private long inputSize(String layer) {
        if (graph.getLayer(layer) == null) {
            throw new IllegalArgumentException("the graph has no layer \"" + layer + "\"; it was not built by the zoo");
        }
        return ((EmbeddingSequenceLayer) graph.getLayer(layer).conf().getLayer()).getNIn();
    }

    private static void check(String layer, long graphSize, int vocabSize, String side) {
        if (graphSize != vocabSize) {
            throw new IllegalArgumentException("the " + side + " vocabulary has " + vocabSize
                    + " entries but the graph's layer \"" + layer + "\" expects " + graphSize
                    + ": the vocabulary and the model do not belong together");
        }
    }
}
