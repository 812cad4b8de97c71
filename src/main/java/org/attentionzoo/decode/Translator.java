package org.attentionzoo.decode;

import org.attentionzoo.models.TranslationModel;

import java.util.ArrayList;
import java.util.List;

/**
 * Text in, text out: tokenizes and encodes sources, decodes them greedily in batches, and turns the
 * ids back into tokens and readable text.
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

    public Translator(TranslationModel model) {
        this(model, LengthLimit.DEFAULT);
    }

    public Translator(TranslationModel model, LengthLimit limit) {
        this.model = model;
        this.decoder = new GreedyDecoder(model.graph(), limit);
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
            int[][] decoded = decoder.decode(encoded.toArray(new int[0][]));
            Translation[] translations = new Translation[chunk.size()];
            for (int i = 0; i < chunk.size(); i++) {
                translations[i] = new Translation(chunk.get(i), "", List.of());
            }
            for (int k = 0; k < nonEmpty.size(); k++) {
                List<String> tokens = model.targetVocab().decode(decoded[k]);
                translations[nonEmpty.get(k)] = new Translation(chunk.get(nonEmpty.get(k)),
                        model.targetTokenizer().detokenize(tokens), tokens);
            }
            out.addAll(List.of(translations));
        }
        return out;
    }
}
