package org.attentionzoo.train;

import org.attentionzoo.data.BpeTokenizer;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.TeacherForcingIterator;
import org.attentionzoo.data.Tokenizer;
import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.models.TranslationModel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Turns a list of sentence pairs into what training needs: vocabularies, batches, a corpus hash. */
public final class TrainingData {

    private TrainingData() {
    }

    /** Source-side vocabulary of a corpus ({@link #vocabulary}). */
    public static Vocabulary sourceVocabulary(List<SentencePair> pairs, Tokenizer tokenizer, int minFrequency, int maxSize) {
        return vocabulary(pairs.stream().map(SentencePair::source).toList(), tokenizer, minFrequency, maxSize);
    }

    /** Target-side vocabulary of a corpus ({@link #vocabulary}). */
    public static Vocabulary targetVocabulary(List<SentencePair> pairs, Tokenizer tokenizer, int minFrequency, int maxSize) {
        return vocabulary(pairs.stream().map(SentencePair::target).toList(), tokenizer, minFrequency, maxSize);
    }

    /**
     * The vocabulary of one side's texts: {@link Vocabulary#build} over their tokens; for a {@link BpeTokenizer}
     * followed by its character fallback ({@link BpeTokenizer#fallbackSymbols}), added whatever their count and
     * beyond {@code maxSize}, so that no text made of characters seen in {@code texts} maps to {@code <unk>}.
     */
    public static Vocabulary vocabulary(List<String> texts, Tokenizer tokenizer, int minFrequency, int maxSize) {
        Vocabulary vocab = Vocabulary.build(texts.stream().map(tokenizer::tokenize).toList(), minFrequency, maxSize);
        if (tokenizer instanceof BpeTokenizer bpe) {
            vocab = vocab.extend(List.of(bpe.fallbackSymbols(texts)), 1, Integer.MAX_VALUE);
        }
        return vocab;
    }

    /** Shuffled, length-bucketed teacher-forcing batches encoded with the model's own tokenizers and vocabularies. */
    public static TeacherForcingIterator batches(TranslationModel model, List<SentencePair> pairs, int batchSize,
                                                 int maxLength, long seed) {
        return batches(model, pairs, batchSize, 0, maxLength, seed);
    }

    /**
     * As {@link #batches(TranslationModel, List, int, int, long)}, each batch also capped at {@code maxTokens}
     * padded positions (see {@link TeacherForcingIterator.Builder#maxTokens}; 0 for no cap).
     */
    public static TeacherForcingIterator batches(TranslationModel model, List<SentencePair> pairs, int batchSize,
                                                 int maxTokens, int maxLength, long seed) {
        return TeacherForcingIterator.builder().pairs(pairs)
                .sourceTokenizer(model.sourceTokenizer()).targetTokenizer(model.targetTokenizer())
                .sourceVocab(model.sourceVocab()).targetVocab(model.targetVocab())
                .batchSize(batchSize).maxTokens(maxTokens).maxLength(maxLength).seed(seed).shuffle(true).build();
    }

    /** SHA-256 over every pair's source and target, in order: identifies a training corpus in provenance. */
    public static String sha256(List<SentencePair> pairs) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (SentencePair p : pairs) {
                digest.update(p.source().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) '\t');
                digest.update(p.target().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) '\n');
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
