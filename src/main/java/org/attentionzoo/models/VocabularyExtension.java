package org.attentionzoo.models;

import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.Tokenizer;
import org.attentionzoo.data.Vocabulary;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Grows a trained model's vocabularies for fine-tuning on a new corpus, keeping everything it has learned.
 *
 * <p>Old tokens keep their ids and new ones are appended ({@link Vocabulary#extend}). The new graph is built
 * from the same card with the bigger sizes, then every parameter is copied from the old graph:
 * <ul>
 *   <li>{@code source_embedding} and {@code target_embedding}: DL4J stores the weights as [vocabulary,
 *       embeddingSize], one row per token; the old rows are copied, the new rows are the new graph's fresh
 *       initialisation (the card's Xavier initialisation and seed) times {@link #NEW_EMBEDDING_SCALE}, small
 *       random values (DL4J's {@code EmbeddingLayerParamInitializer} calls Xavier with fan-in 1, a standard
 *       deviation of sqrt(2 / (1 + embeddingSize)), which is the scale of trained rows, not a small one);</li>
 *   <li>{@code output}: W is [nIn, vocabulary], one column per token, and b is [vocabulary] (rank 1 in DL4J
 *       1.0.0-M2.1); the old columns and biases are copied, new columns of W keep their fresh initialisation and
 *       new biases are 0;</li>
 *   <li>every other layer and vertex (attention included): all parameters copied unchanged.</li>
 * </ul>
 * With tied embeddings ({@link TiedEmbeddings}) the tied copies are then overwritten by the target embedding:
 * their old rows are the old ones (they were equal), their new rows the target embedding's new rows; with
 * {@code all} the joint vocabulary grows by the tokens of both sides of the corpus, once.
 *
 * <p>The optimiser (Adam) state is not carried over: the new graph starts with a fresh updater, as after
 * {@link Zoo#init}. So for a sentence of old tokens the old tokens' output scores (logits) are exactly those
 * of the old model; the softmax now also spreads probability over the new tokens, and renormalised over the
 * old tokens it equals the old model's output.
 */
public final class VocabularyExtension {

    /** Factor applied to the fresh initialisation of new embedding rows, so that they start small. */
    public static final double NEW_EMBEDDING_SCALE = 0.1;

    private VocabularyExtension() {
    }

    /** Fraction of source and target tokens of a corpus that a model's vocabularies map to {@code <unk>}. */
    public record UnkRates(double source, double target) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "unknown tokens: source %.2f%%, target %.2f%%",
                    100 * source, 100 * target);
        }
    }

    /** The {@code <unk>} rates of {@code corpus} under the model's tokenizers and vocabularies. */
    public static UnkRates unkRates(TranslationModel model, List<SentencePair> corpus) {
        return new UnkRates(model.sourceVocab().unkRate(tokenize(corpus, model.sourceTokenizer(), true)),
                model.targetVocab().unkRate(tokenize(corpus, model.targetTokenizer(), false)));
    }

    /**
     * The model with both vocabularies extended by the tokens of {@code corpus} (tokenized with the model's own
     * tokenizers) that occur at least {@code minFrequency} times, each side at most {@code maxSize} tokens.
     */
    public static TranslationModel extend(TranslationModel model, List<SentencePair> corpus, int minFrequency,
                                          int maxSize) {
        if (model.card().tieEmbeddings() == ModelCard.Tie.ALL) {                 // one joint vocabulary, both sides
            List<List<String>> both = new ArrayList<>(tokenize(corpus, model.sourceTokenizer(), true));
            both.addAll(tokenize(corpus, model.targetTokenizer(), false));
            Vocabulary joint = model.targetVocab().extend(both, minFrequency, maxSize);
            return extend(model, joint, joint);
        }
        Vocabulary source = model.sourceVocab().extend(tokenize(corpus, model.sourceTokenizer(), true),
                minFrequency, maxSize);
        Vocabulary target = model.targetVocab().extend(tokenize(corpus, model.targetTokenizer(), false),
                minFrequency, maxSize);
        return extend(model, source, target);
    }

    /**
     * The model with the given vocabularies, which must start with the model's own tokens in the same order.
     * The old model is not changed; provenance is copied and records the extension.
     *
     * @throws IllegalArgumentException if a vocabulary does not extend the model's
     */
    public static TranslationModel extend(TranslationModel model, Vocabulary sourceVocab, Vocabulary targetVocab) {
        checkExtends(model.sourceVocab(), sourceVocab, "source");
        checkExtends(model.targetVocab(), targetVocab, "target");
        ComputationGraph graph = extendGraph(model.graph(), model.card(), sourceVocab.size(), targetVocab.size());
        TranslationModel extended = new TranslationModel(model.card(), graph, sourceVocab, targetVocab,
                model.sourceTokenizer(), model.targetTokenizer(), model.provenance(), model.masksPlaceholders());
        extended.putProvenance(Map.of("vocabularyExtension", "source " + model.sourceVocab().size() + " -> "
                + sourceVocab.size() + ", target " + model.targetVocab().size() + " -> " + targetVocab.size()));
        return extended;
    }

    /**
     * A new graph of {@code card} for the bigger vocabulary sizes holding all of {@code old}'s parameters (see the
     * class comment).
     *
     * @throws IllegalArgumentException if a size is smaller than the old one, or the graphs differ other than in
     *                                  the vocabulary sizes (the card is not the one that built {@code old})
     */
    public static ComputationGraph extendGraph(ComputationGraph old, ModelCard card, int sourceVocab, int targetVocab) {
        ComputationGraph graph = Zoo.init(card, sourceVocab, targetVocab);
        for (GraphVertex vertex : old.getVertices()) {
            String name = vertex.getVertexName();
            GraphVertex target = graph.getVertex(name);
            if (target == null) {
                throw new IllegalArgumentException("the card builds no vertex \"" + name + "\"; it did not build this graph");
            }
            Map<String, INDArray> from = vertex.paramTable(false);
            Map<String, INDArray> to = target.paramTable(false);
            if (!from.keySet().equals(to.keySet())) {
                throw new IllegalArgumentException("vertex \"" + name + "\" has parameters " + from.keySet()
                        + " but the card builds " + to.keySet());
            }
            for (Map.Entry<String, INDArray> e : from.entrySet()) {
                copy(name, e.getKey(), e.getValue(), to.get(e.getKey()));
            }
        }
        if (old.getVertices().length != graph.getVertices().length) {
            throw new IllegalArgumentException("the card builds " + graph.getVertices().length + " vertices but the graph has "
                    + old.getVertices().length);
        }
        TiedEmbeddings.sync(graph, card.tieEmbeddings());
        return graph;
    }

    private static void copy(String vertex, String key, INDArray from, INDArray to) {
        boolean embedding = vertex.equals(GraphNames.SOURCE_EMBEDDING) || vertex.equals(GraphNames.TARGET_EMBEDDING);
        boolean output = vertex.equals(GraphNames.OUTPUT);
        if (embedding && key.equals("W")) {
            copyInto(vertex, key, from, to, 0, NEW_EMBEDDING_SCALE);
        } else if (output && (key.equals("W") || key.equals("b"))) {
            copyInto(vertex, key, from, to, to.rank() - 1, key.equals("b") ? 0.0 : 1.0);
        } else {
            if (!Arrays.equals(from.shape(), to.shape())) {
                throw new IllegalArgumentException("parameter " + vertex + "_" + key + " has shape "
                        + Arrays.toString(from.shape()) + " but the card builds " + Arrays.toString(to.shape()));
            }
            to.assign(from);
        }
    }

    /**
     * Copies {@code from} into the first {@code from.size(axis)} entries of {@code to} along {@code axis}, and
     * multiplies the other (freshly initialised) entries by {@code freshScale}.
     *
     * <p>The work is done on a c-order copy, then assigned back whole: the parameter views of a DL4J graph are
     * f-order views into one flat array, and in ND4J 1.0.0-M2.1 an interval index on such a view can give
     * an empty array (seen for rows 7 to 9 of a [9, 5] embedding view).
     *
     * @throws IllegalArgumentException unless {@code to} equals {@code from}'s shape but for a size along
     *                                  {@code axis} at least as big
     */
    private static void copyInto(String vertex, String key, INDArray from, INDArray to, int axis, double freshScale) {
        boolean ok = from.rank() == to.rank() && to.size(axis) >= from.size(axis);
        INDArrayIndex[] index = new INDArrayIndex[to.rank()];
        for (int d = 0; d < to.rank(); d++) {
            ok &= d == axis || to.size(d) == from.size(d);
            index[d] = d == axis ? NDArrayIndex.interval(0, from.size(axis)) : NDArrayIndex.all();
        }
        if (!ok) {
            throw new IllegalArgumentException("parameter " + vertex + "_" + key + " has shape "
                    + Arrays.toString(from.shape()) + "; cannot grow it to " + Arrays.toString(to.shape()));
        }
        INDArray merged = to.dup('c').muli(freshScale);
        merged.get(index).assign(from);
        to.assign(merged);
    }

    private static void checkExtends(Vocabulary old, Vocabulary extended, String side) {
        List<String> oldTokens = old.tokens();
        if (extended.size() < old.size() || !extended.tokens().subList(0, old.size()).equals(oldTokens)) {
            throw new IllegalArgumentException("the new " + side + " vocabulary must start with the model's "
                    + old.size() + " tokens in the same order, so that old ids keep their meaning");
        }
    }

    private static List<List<String>> tokenize(List<SentencePair> corpus, Tokenizer tokenizer, boolean source) {
        List<List<String>> out = new ArrayList<>(corpus.size());
        for (SentencePair pair : corpus) {
            out.add(tokenizer.tokenize(source ? pair.source() : pair.target()));
        }
        return out;
    }
}
