package org.attentionzoo.decode;

import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.util.Threads;
import org.attentionzoo.viz.Alignment;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Text in, text out: tokenizes and encodes sources, decodes them in batches (greedily, or by beam
 * search, see {@link Decoding}; each batch in {@link Threads#workers()} shards on as many threads, see
 * {@link Shards}), and turns the ids back into tokens and readable text. For attention
 * models every translation carries the alignment the model used for it, and {@code <unk>} outputs can
 * be replaced by the source token they attended to most ({@link UnkReplacement}).
 *
 * <pre>{@code
 * Translation t = new Translator(model).translate("24 nov. 2026");
 * System.out.println(t.text());   // 2026-11-24
 * List<Translation> best3 = new Translator(model, Decoding.beam(5)).translateNBest("24 nov. 2026", 3);
 * }</pre>
 */
public final class Translator {

    private static final int BATCH = 64;

    private final TranslationModel model;
    private final Decoding decoding;
    /** One step model per decoding shard ({@link Shards}): {@link Threads#workers()} of them. */
    private final List<StepModel> stepModels = new ArrayList<>();
    private final String alignmentVertex;

    /** Greedy decoding with the default length limit. */
    public Translator(TranslationModel model) {
        this(model, Decoding.greedy());
    }

    /** Greedy decoding with the given length limit. */
    public Translator(TranslationModel model, LengthLimit limit) {
        this(model, Decoding.greedy().limit(limit));
    }

    /**
     * @throws IllegalArgumentException if {@code <unk>} replacement is asked of a model without attention
     */
    public Translator(TranslationModel model, Decoding decoding) {
        this.model = model;
        this.decoding = decoding;
        for (int i = 0; i < Threads.workers(); i++) {
            stepModels.add(StepModels.of(model.card(), model.graph(), decoding.cached()));
        }
        this.alignmentVertex = model.alignmentVertex();
        if (decoding.replaceUnk() && alignmentVertex == null) {
            throw new IllegalArgumentException("<unk> replacement needs an attention model; "
                    + model.card() + " has no alignment");
        }
    }

    /** Translates one sentence: the best translation. */
    public Translation translate(String source) {
        return translateAll(List.of(source)).get(0);
    }

    /** Translates many sentences, in order, the best translation each; an empty or blank source gives an empty translation. */
    public List<Translation> translateAll(List<String> sources) {
        List<Translation> out = new ArrayList<>(sources.size());
        for (List<Translation> nBest : translateAllNBest(sources, 1)) {
            out.add(nBest.get(0));
        }
        return out;
    }

    /**
     * The {@code n} best translations of one sentence, best first (fewer if the search finds fewer); the
     * first is {@link #translate}'s. An empty or blank source gives one empty translation.
     *
     * @throws IllegalArgumentException unless 1 ≤ n ≤ the beam size
     */
    public List<Translation> translateNBest(String source, int n) {
        return translateAllNBest(List.of(source), n).get(0);
    }

    /** {@link #translateNBest} for many sentences, in order. */
    public List<List<Translation>> translateAllNBest(List<String> sources, int n) {
        if (n < 1 || n > decoding.beamSize()) {
            throw new IllegalArgumentException("an n-best list of " + n + " needs 1 <= n <= beam size "
                    + decoding.beamSize() + "; use Decoding.beam(k) with k >= " + n);
        }
        List<List<String>> chunks = new ArrayList<>();
        List<Encoded> encoded = new ArrayList<>();
        for (int start = 0; start < sources.size(); start += BATCH) {
            List<String> chunk = sources.subList(start, Math.min(sources.size(), start + BATCH));
            chunks.add(chunk);
            encoded.add(encode(chunk));
        }
        List<List<List<int[]>>> decoded = Shards.decodeBatches(encoded.stream().map(Encoded::ids).toList(), stepModels,
                (stepModel, chunk, ids) -> decode(stepModel, ids, n));
        List<List<Translation>> out = new ArrayList<>(sources.size());
        for (int c = 0; c < chunks.size(); c++) {
            out.addAll(translations(chunks.get(c), encoded.get(c), decoded.get(c)));
        }
        return out;
    }

    /** A chunk's non-empty sources as ids, and their positions in the chunk. */
    private record Encoded(int[][] ids, List<Integer> positions) {
    }

    private Encoded encode(List<String> chunk) {
        List<Integer> nonEmpty = new ArrayList<>();
        List<int[]> ids = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            int[] sentence = model.sourceVocab().encode(model.sourceTokenizer().tokenize(chunk.get(i)));
            if (sentence.length > 0) {
                nonEmpty.add(i);
                ids.add(sentence);
            }
        }
        return new Encoded(ids.toArray(new int[0][]), nonEmpty);
    }

    /** The translations of a chunk from its decoded outputs, with alignments when the model has attention. */
    private List<List<Translation>> translations(List<String> chunk, Encoded encoded, List<List<int[]>> decoded) {
        int[][] sourceIds = encoded.ids();
        List<int[]> flatSources = new ArrayList<>();                   // one row per output, for the alignments
        List<int[]> flatOutputs = new ArrayList<>();
        for (int k = 0; k < sourceIds.length; k++) {
            for (int[] output : decoded.get(k)) {
                flatSources.add(sourceIds[k]);
                flatOutputs.add(output);
            }
        }
        INDArray weights = alignmentVertex == null || flatOutputs.isEmpty() ? null
                : Alignments.weights(model.graph(), alignmentVertex, flatSources.toArray(new int[0][]),
                flatOutputs.toArray(new int[0][]));
        List<List<Translation>> translations = new ArrayList<>(chunk.size());
        for (String source : chunk) {
            translations.add(List.of(new Translation(source, "", List.of(), null)));
        }
        int row = 0;
        for (int k = 0; k < encoded.positions().size(); k++) {
            String source = chunk.get(encoded.positions().get(k));
            List<String> sourceTokens = model.sourceTokenizer().tokenize(source);
            List<Translation> nBest = new ArrayList<>();
            for (int[] output : decoded.get(k)) {
                nBest.add(translation(source, sourceTokens, output, weights, row++));
            }
            translations.set(encoded.positions().get(k), List.copyOf(nBest));
        }
        return translations;
    }

    /**
     * Per source its outputs (ids without BOS and EOS), best first: one when greedy, with one step model
     * (chunks go to the step models' threads whole, or in shards when there are fewer chunks than step
     * models: {@link Shards#decodeBatches}).
     */
    private List<List<int[]>> decode(StepModel stepModel, int[][] sourceIds, int n) {
        if (decoding.beamSize() == 1) {
            return Arrays.stream(new GreedyDecoder(stepModel, decoding.limit()).decode(sourceIds)).map(List::of).toList();
        }
        return new BeamSearch(stepModel, decoding.beamSize(), n, decoding.alpha(), decoding.limit()).search(sourceIds)
                .stream().map(hypotheses -> hypotheses.stream().map(Hypothesis::tokens).toList()).toList();
    }

    private Translation translation(String source, List<String> sourceTokens, int[] output, INDArray weights, int row) {
        List<String> tokens = model.targetVocab().decode(output);
        Alignment alignment = weights == null ? null : Alignments.of(weights, row, sourceTokens, tokens);
        if (decoding.replaceUnk()) {
            tokens = UnkReplacement.apply(tokens, sourceTokens, alignment);
            alignment = Alignments.of(weights, row, sourceTokens, tokens);
        }
        return new Translation(source, model.targetTokenizer().detokenize(tokens), tokens, alignment);
    }
}
