package org.attentionzoo.decode;

import org.attentionzoo.data.Placeholders;
import org.attentionzoo.decode.step.StepModel;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.util.Threads;
import org.attentionzoo.viz.Alignment;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * Text in, text out: tokenizes and encodes sources, decodes them in batches (greedily, or by beam
 * search, see {@link Decoding}; each batch in {@link Threads#workers()} shards on as many threads, see
 * {@link Shards}), and turns the ids back into tokens and readable text. Every translation carries its
 * scores; for attention models, the alignment the model used for it (kept from decoding, or computed by a
 * teacher-forced pass with the batch when {@link Decoding#alignments} asks, else on demand: see
 * {@link Translation}), and {@code <unk>} outputs can
 * be replaced by the source token they attended to most ({@link UnkReplacement}).
 *
 * <p><b>Thread safety.</b> A Translator is safe for concurrent use: any number of threads may call one
 * instance at once, and each gets exactly the translations it would get alone (decoding treats sentences
 * independently and reads the model's parameters only). Each call borrows a set of step models (the
 * per-call decoding state) that no other call uses at the same time, made when all are busy and kept for
 * later calls; the graph's own forward passes (encoder, alignment pass) take turns on the graph. Training the
 * model while it translates is not supported.
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
    private final String alignmentVertex;
    /**
     * Sets of step models not in use by a call: one step model per decoding shard ({@link Shards}),
     * {@link Threads#workers()} per set. Guarded by itself.
     */
    private final Deque<List<StepModel>> idle = new ArrayDeque<>();

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
        this.alignmentVertex = model.alignmentVertex();
        if (decoding.replaceUnk() && alignmentVertex == null) {
            throw new IllegalArgumentException("<unk> replacement needs an attention model; "
                    + model.card() + " has no alignment");
        }
        idle.push(stepModels());
    }

    /** The decoding this translator uses. */
    public Decoding decoding() {
        return decoding;
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

    /**
     * {@link #translateNBest} for many sentences, in order.
     *
     * @throws SourceTooLongException if a source has more tokens than {@link Decoding#maxSourceLength} (then
     *                                nothing is decoded)
     */
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
            encoded.add(encode(chunk, start));
        }
        List<List<List<Hypothesis>>> decoded = decodeByLength(encoded, n);
        List<List<Translation>> out = new ArrayList<>(sources.size());
        for (int c = 0; c < chunks.size(); c++) {
            out.addAll(translations(chunks.get(c), encoded.get(c), decoded.get(c)));
        }
        return out;
    }

    /**
     * Decodes every chunk's sources, per chunk its hypothesis lists. The sources of all chunks are decoded in
     * batches of {@value #BATCH} sorted by length (a stable sort, so equal lengths keep their order): a batch runs
     * until its longest translation ends and pads to its longest source, so sentences of similar length side by
     * side waste the fewest steps. Each sentence's result does not depend on its batch's other sentences.
     */
    private List<List<List<Hypothesis>>> decodeByLength(List<Encoded> encoded, int n) {
        List<int[]> refs = new ArrayList<>();                             // {chunk, index in the chunk}
        for (int c = 0; c < encoded.size(); c++) {
            for (int k = 0; k < encoded.get(c).ids().length; k++) {
                refs.add(new int[]{c, k});
            }
        }
        refs.sort(java.util.Comparator.comparingInt(r -> encoded.get(r[0]).ids()[r[1]].length));
        List<int[][]> batches = new ArrayList<>();
        for (int start = 0; start < refs.size(); start += BATCH) {
            List<int[]> batch = refs.subList(start, Math.min(refs.size(), start + BATCH));
            batches.add(batch.stream().map(r -> encoded.get(r[0]).ids()[r[1]]).toArray(int[][]::new));
        }
        List<StepModel> stepModels = borrow();
        List<List<List<Hypothesis>>> byBatch;
        try {
            byBatch = Shards.decodeBatches(batches, stepModels, (stepModel, batch, ids) -> decode(stepModel, ids, n));
        } finally {
            giveBack(stepModels);
        }
        List<List<List<Hypothesis>>> decoded = new ArrayList<>(encoded.size());
        for (Encoded e : encoded) {
            decoded.add(new ArrayList<>(java.util.Collections.nCopies(e.ids().length, null)));
        }
        for (int i = 0; i < refs.size(); i++) {
            int[] r = refs.get(i);
            decoded.get(r[0]).set(r[1], byBatch.get(i / BATCH).get(i % BATCH));
        }
        return decoded;
    }

    /** One step model per decoding shard. */
    private List<StepModel> stepModels() {
        List<StepModel> set = new ArrayList<>();
        for (int i = 0; i < Threads.workers(); i++) {
            set.add(StepModels.of(model.card(), model.graph(), decoding.cached()));
        }
        return set;
    }

    /** An idle set of step models, or a new one when every set is in use by another call. */
    private List<StepModel> borrow() {
        synchronized (idle) {
            List<StepModel> set = idle.poll();
            if (set != null) {
                return set;
            }
        }
        return stepModels();
    }

    private void giveBack(List<StepModel> set) {
        synchronized (idle) {
            idle.push(set);
        }
    }

    /**
     * A chunk's non-empty sources as ids, their positions in the chunk, their tokens as the model reads them, and the
     * placeholder spans masked out of each (empty unless the model masks placeholders).
     */
    private record Encoded(int[][] ids, List<Integer> positions, List<List<String>> tokens, List<List<String>> spans) {
    }

    private Encoded encode(List<String> chunk, int offset) {
        List<Integer> nonEmpty = new ArrayList<>();
        List<int[]> ids = new ArrayList<>();
        List<List<String>> tokens = new ArrayList<>();
        List<List<String>> spans = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            Placeholders.Masked masked = model.masksPlaceholders() ? Placeholders.mask(chunk.get(i))
                    : new Placeholders.Masked(chunk.get(i), List.of());
            List<String> sourceTokens = model.sourceTokenizer().tokenize(masked.text());
            int[] sentence = model.sourceVocab().encode(sourceTokens);
            if (decoding.maxSourceLength() > 0 && sentence.length > decoding.maxSourceLength()) {
                throw new SourceTooLongException(offset + i, sentence.length, decoding.maxSourceLength());
            }
            if (sentence.length > 0) {
                nonEmpty.add(i);
                ids.add(sentence);
                tokens.add(sourceTokens);
                spans.add(masked.spans());
            }
        }
        return new Encoded(ids.toArray(new int[0][]), nonEmpty, tokens, spans);
    }

    /**
     * The translations of a chunk from its decoded outputs; alignments computed for the whole chunk in one pass
     * when asked for ({@link Decoding#alignments}, {@link Decoding#replaceUnk}) and the model has attention.
     */
    private List<List<Translation>> translations(List<String> chunk, Encoded encoded, List<List<Hypothesis>> decoded) {
        int[][] sourceIds = encoded.ids();
        INDArray weights = null;
        int[] passRow = new int[0];
        if (alignmentVertex != null && (decoding.alignments() || decoding.replaceUnk())) {
            List<int[]> flatSources = new ArrayList<>();               // one row per output without kept weights
            List<int[]> flatOutputs = new ArrayList<>();
            List<Integer> rows = new ArrayList<>();
            for (int k = 0; k < sourceIds.length; k++) {
                for (Hypothesis h : decoded.get(k)) {
                    rows.add(kept(h) ? -1 : flatOutputs.size());
                    if (!kept(h)) {
                        flatSources.add(sourceIds[k]);
                        flatOutputs.add(h.tokens());
                    }
                }
            }
            passRow = rows.stream().mapToInt(Integer::intValue).toArray();
            weights = flatOutputs.isEmpty() ? null : Alignments.weights(model.graph(), alignmentVertex,
                    flatSources.toArray(new int[0][]), flatOutputs.toArray(new int[0][]));
        }
        List<List<Translation>> translations = new ArrayList<>(chunk.size());
        for (String source : chunk) {
            translations.add(List.of(new Translation(source, "", List.of(), null)));
        }
        int row = 0;
        for (int k = 0; k < encoded.positions().size(); k++) {
            String source = chunk.get(encoded.positions().get(k));
            List<String> sourceTokens = encoded.tokens().get(k);
            List<String> spans = encoded.spans().get(k);
            List<Translation> nBest = new ArrayList<>();
            for (Hypothesis h : decoded.get(k)) {
                if (alignmentVertex != null && kept(h)) {
                    nBest.add(translation(source, sourceTokens, spans, h, t -> Alignments.of(h.attention(), sourceTokens, t)));
                } else if (weights != null) {
                    int at = passRow[row];
                    INDArray pass = weights;
                    nBest.add(translation(source, sourceTokens, spans, h, t -> Alignments.of(pass, at, sourceTokens, t)));
                } else {
                    nBest.add(lazyTranslation(source, sourceTokens, spans, sourceIds[k], h));
                }
                row++;
            }
            translations.set(encoded.positions().get(k), List.copyOf(nBest));
        }
        return translations;
    }

    /**
     * Per source its hypotheses, best first: one when greedy, with one step model (chunks go to the step models'
     * threads whole, or in shards when there are fewer chunks than step models: {@link Shards#decodeBatches}).
     */
    private List<List<Hypothesis>> decode(StepModel stepModel, int[][] sourceIds, int n) {
        if (decoding.beamSize() == 1) {
            return Arrays.stream(new GreedyDecoder(stepModel, decoding.limit()).decodeScored(sourceIds, decoding.alpha()))
                    .map(List::of).toList();
        }
        return new BeamSearch(stepModel, decoding.beamSize(), n, decoding.alpha(), decoding.limit()).search(sourceIds);
    }

    /**
     * Whether the search kept the attention it used for this hypothesis, a row per output token and EOS (the cached
     * RNN attention decoders report it; a hypothesis cut at the length limit has no EOS row).
     */
    private static boolean kept(Hypothesis h) {
        return h.attention() != null && h.attention().length == h.tokens().length + 1;
    }

    /** A translation with its alignment ({@code alignment} of the output tokens), and {@code <unk>} replaced if asked. */
    private Translation translation(String source, List<String> sourceTokens, List<String> spans, Hypothesis h,
                                    java.util.function.Function<List<String>, Alignment> alignmentOf) {
        List<String> tokens = model.targetVocab().decode(h.tokens());
        Alignment alignment = alignmentOf.apply(tokens);
        if (decoding.replaceUnk()) {
            tokens = UnkReplacement.apply(tokens, sourceTokens, alignment);
            alignment = alignmentOf.apply(tokens);
        }
        return new Translation(source, readable(spans, tokens), tokens, alignment, h.logProb(), h.score());
    }

    /** A translation whose alignment, if the model has attention, is computed when first asked for. */
    private Translation lazyTranslation(String source, List<String> sourceTokens, List<String> spans, int[] sourceIds,
                                        Hypothesis h) {
        List<String> tokens = model.targetVocab().decode(h.tokens());
        Supplier<Alignment> alignment = alignmentVertex == null ? () -> null
                : () -> Alignments.of(Alignments.weights(model.graph(), alignmentVertex, new int[][]{sourceIds},
                new int[][]{h.tokens()}), 0, sourceTokens, tokens);
        return Translation.lazy(source, readable(spans, tokens), tokens, h.logProb(), h.score(), alignment);
    }

    /** The output tokens as text, with the source's masked placeholder spans put back if the model masks them. */
    private String readable(List<String> spans, List<String> tokens) {
        String text = model.targetTokenizer().detokenize(tokens);
        return model.masksPlaceholders() ? Placeholders.unmask(text, spans) : text;
    }

    /** A source longer than {@link Decoding#maxSourceLength}; {@link #index()} is its position in the call's list. */
    public static final class SourceTooLongException extends IllegalArgumentException {

        private final int index;

        SourceTooLongException(int index, int tokens, int limit) {
            super("the source has " + tokens + " tokens, more than the limit of " + limit);
            this.index = index;
        }

        /** The 0-based position of the source in the list given to the translator. */
        public int index() {
            return index;
        }
    }
}
