package org.attentionzoo.decode;

import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.viz.Alignment;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * Text in, text out: tokenizes and encodes sources, decodes them greedily in batches, and turns the
 * ids back into tokens and readable text. For attention models every translation carries the
 * alignment the model used for it.
 *
 * <pre>{@code
 * Translation t = new Translator(model).translate("24 nov. 2026");
 * System.out.println(t.text());   // 2026-11-24
 * }</pre>
 */
public final class Translator {

    private static final int BATCH = 64;

    private final TranslationModel model;
    private final GreedyDecoder decoder;
    private final String alignmentVertex;

    public Translator(TranslationModel model) {
        this(model, LengthLimit.DEFAULT);
    }

    public Translator(TranslationModel model, LengthLimit limit) {
        this.model = model;
        this.decoder = new GreedyDecoder(model.graph(), limit);
        this.alignmentVertex = model.alignmentVertex();
    }

    /** Translates one sentence. */
    public Translation translate(String source) {
        return translateAll(List.of(source)).get(0);
    }

    /** Translates many sentences, in order; an empty or blank source gives an empty translation. */
    public List<Translation> translateAll(List<String> sources) {
        List<Translation> out = new ArrayList<>(sources.size());
        for (int start = 0; start < sources.size(); start += BATCH) {
            List<String> chunk = sources.subList(start, Math.min(sources.size(), start + BATCH));
            List<Integer> nonEmpty = new ArrayList<>();
            List<int[]> encoded = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                int[] ids = model.sourceVocab().encode(model.sourceTokenizer().tokenize(chunk.get(i)));
                if (ids.length > 0) {
                    nonEmpty.add(i);
                    encoded.add(ids);
                }
            }
            int[][] sourceIds = encoded.toArray(new int[0][]);
            int[][] decoded = decoder.decode(sourceIds);
            INDArray weights = alignmentVertex == null || sourceIds.length == 0 ? null
                    : Alignments.weights(model.graph(), alignmentVertex, sourceIds, decoded);
            Translation[] translations = new Translation[chunk.size()];
            for (int i = 0; i < chunk.size(); i++) {
                translations[i] = new Translation(chunk.get(i), "", List.of(), null);
            }
            for (int k = 0; k < nonEmpty.size(); k++) {
                List<String> tokens = model.targetVocab().decode(decoded[k]);
                String source = chunk.get(nonEmpty.get(k));
                Alignment alignment = weights == null ? null
                        : Alignments.of(weights, k, model.sourceTokenizer().tokenize(source), tokens);
                translations[nonEmpty.get(k)] = new Translation(source,
                        model.targetTokenizer().detokenize(tokens), tokens, alignment);
            }
            out.addAll(List.of(translations));
        }
        return out;
    }
}
