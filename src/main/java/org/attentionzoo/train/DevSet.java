package org.attentionzoo.train;

import org.attentionzoo.data.SentencePair;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.eval.Bleu;
import org.attentionzoo.eval.ChrF;
import org.attentionzoo.models.TranslationModel;

import java.util.List;

/**
 * The dev sentences a {@link Trainer} scores during training: translated with greedy decoding and
 * scored with corpus BLEU (13a tokenization) and chrF against their targets. Only the first
 * {@code max} pairs are used, in file order, so every evaluation scores the same sentences.
 */
final class DevSet {

    /** Scores of one evaluation. */
    record Score(double bleu, double chrf) {
    }

    private final List<String> sources;
    private final List<String> references;

    /** The first {@code max} pairs of {@code pairs} (all of them when {@code max <= 0}). */
    DevSet(List<SentencePair> pairs, int max) {
        List<SentencePair> used = max > 0 && pairs.size() > max ? pairs.subList(0, max) : pairs;
        if (used.isEmpty()) {
            throw new IllegalArgumentException("the dev set is empty");
        }
        this.sources = used.stream().map(SentencePair::source).toList();
        this.references = used.stream().map(SentencePair::target).toList();
    }

    /** Number of pairs scored. */
    int size() {
        return sources.size();
    }

    /** Translates the dev sources greedily with the model as it is now and scores them. */
    Score score(TranslationModel model) {
        List<String> hyps = new Translator(model).translateAll(sources).stream().map(Translation::text).toList();
        return new Score(Bleu.corpus(hyps, references).score(), ChrF.corpus(hyps, references).score());
    }
}
