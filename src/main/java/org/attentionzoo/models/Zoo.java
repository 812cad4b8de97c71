package org.attentionzoo.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The zoo's entry point: finds model cards by name and turns a card into an initialised graph.
 *
 * <pre>{@code
 * ModelCard card = Zoo.card("seq2seq-lstm");
 * ComputationGraph graph = Zoo.init(card, sourceVocab.size(), targetVocab.size());
 * }</pre>
 */
public final class Zoo {

    /** The cards shipped in {@code models/}, in the order {@code zoo} lists them. */
    public static final List<String> CARDS = List.of("seq2seq-lstm", "seq2seq-gru", "luong-dot", "luong-general", "luong-concat",
            "luong-local-m", "luong-local-p", "luong-general-feed", "bahdanau", "transformer-tiny", "transformer-small", "transformer-small-postln",
            "transformer-base");

    /**
     * The sequence-classification cards shipped in {@code models/} (family {@code classifier}): they take
     * a vocabulary and a number of classes, not two vocabularies, so they are built with
     * {@link EncoderClassifier#init(ModelCard, int, int)} rather than {@link #init}.
     */
    public static final List<String> CLASSIFIER_CARDS = List.of("transformer-encoder-classifier");

    private Zoo() {
    }

    /**
     * A shipped card by name (such as {@code seq2seq-lstm}), or a card read from a JSON file path.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static ModelCard card(String nameOrPath) throws IOException {
        Path file = Path.of(nameOrPath);
        if (nameOrPath.endsWith(".json") || Files.isRegularFile(file)) {
            return ModelCard.load(file);
        }
        String resource = "/models/" + nameOrPath + ".json";
        try (InputStream in = Zoo.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("unknown model card \"" + nameOrPath
                        + "\"; known cards: " + String.join(", ", CARDS) + ", " + String.join(", ", CLASSIFIER_CARDS)
                        + " (or give a path to a .json card)");
            }
            return ModelCard.fromStream(in, "models/" + nameOrPath + ".json");
        }
    }

    /** The graph configuration a card describes. */
    public static ComputationGraphConfiguration configuration(ModelCard card, int sourceVocab, int targetVocab) {
        if (sourceVocab < 5 || targetVocab < 5) {
            throw new IllegalArgumentException("vocabulary sizes must include the 4 special tokens and at least one word;"
                    + " got source " + sourceVocab + ", target " + targetVocab);
        }
        switch (card.family()) {
            case SEQ2SEQ:
                return Seq2Seq.configuration(card, sourceVocab, targetVocab);
            case ATTENTION:
                return RnnAttention.configuration(card, sourceVocab, targetVocab);
            case TRANSFORMER:
                return Transformer.configuration(card, sourceVocab, targetVocab);
            case CLASSIFIER:
                throw new IllegalArgumentException("card \"" + card.name() + "\" is a sequence classifier, not a"
                        + " translation model; build it with EncoderClassifier.init(card, vocabularySize, classes)");
            default:
                throw new IllegalStateException("no builder for family " + card.family());
        }
    }

    /**
     * Number of trainable parameters, vertices included. (DL4J's {@code ComputationGraph.numParams()}
     * counts only layers, so the parameters of SameDiff vertices such as attention would be missing.)
     */
    public static long parameterCount(ComputationGraph graph) {
        return graph.params().length();
    }

    /**
     * An initialised graph for the card and vocabulary sizes; with tied embeddings ({@link TiedEmbeddings}) every
     * tied copy starts as the target embedding.
     */
    public static ComputationGraph init(ModelCard card, int sourceVocab, int targetVocab) {
        ComputationGraph graph = new ComputationGraph(configuration(card, sourceVocab, targetVocab));
        graph.init();
        TiedEmbeddings.sync(graph, card.tieEmbeddings());
        return graph;
    }
}
