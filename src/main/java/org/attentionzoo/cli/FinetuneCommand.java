package org.attentionzoo.cli;

import org.attentionzoo.data.ParallelCorpus;
import org.attentionzoo.data.Placeholders;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.models.VocabularyExtension;
import org.attentionzoo.train.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code finetune}: goes on training a saved model on another corpus. The model keeps its card,
 * tokenizers and vocabularies, so words the vocabularies lack stay unknown: the command first reports
 * the share of such tokens (UNK rate) on each side of the new corpus. The result's provenance names
 * the parent model. Every input is read and checked before anything is written.
 */
@Command(name = "finetune", description = "Continue training a saved model on a new corpus into <out>; rerun to resume.")
final class FinetuneCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, description = "The model to start from (a model.zip).")
    Path from;

    @Option(names = "--train", required = true, description = "Training TSV (source<TAB>target).")
    Path train;

    @Mixin
    TrainingOptions options;

    @Option(names = "--extend-vocab", description = "Add the new corpus's frequent tokens to the vocabularies: new rows in"
            + " the embedding and output matrices, the old ones kept as they were.")
    boolean extendVocab;

    @Option(names = "--min-freq", defaultValue = "2", description = "With --extend-vocab: minimum count of a new token (default ${DEFAULT-VALUE}).")
    int minFreq;

    @Option(names = "--max-vocab", defaultValue = "16000", description = "With --extend-vocab: maximum vocabulary size per side (default ${DEFAULT-VALUE}).")
    int maxVocab;

    @Override
    public Integer call() throws Exception {
        TrainingOptions o = options;
        o.check();
        TranslationModel loaded = ModelArchive.load(from);
        ParallelCorpus corpus = ParallelCorpus.read(train, o.skipBadLines);
        if (corpus.skippedLines() > 0) {
            System.err.printf("%s: skipped %d malformed lines%n", train, corpus.skippedLines());
        }
        List<SentencePair> rawPairs = corpus.pairs();
        // A model trained with masked placeholders learns from masked text (Translator masks dev sources itself).
        List<SentencePair> pairs = loaded.masksPlaceholders()
                ? rawPairs.stream().map(Placeholders::mask).toList() : rawPairs;
        List<SentencePair> devPairs = o.dev == null ? null : ParallelCorpus.read(o.dev, o.skipBadLines).pairs();
        VocabularyExtension.UnkRates unk = VocabularyExtension.unkRates(loaded, pairs);
        System.out.printf(Locale.ROOT, "%s under the vocabularies of %s: UNK rate source %.2f%%, target %.2f%%%n",
                train, from, 100 * unk.source(), 100 * unk.target());
        TranslationModel m = loaded;
        if (extendVocab) {
            m = VocabularyExtension.extend(loaded, pairs, minFreq, maxVocab);
            System.out.printf(Locale.ROOT, "vocabularies extended: source %d -> %d, target %d -> %d; %s%n",
                    loaded.sourceVocab().size(), m.sourceVocab().size(), loaded.targetVocab().size(), m.targetVocab().size(),
                    VocabularyExtension.unkRates(m, pairs));
        }

        String parentSha = sha256(from);
        Map<String, String> parent = m.provenance();
        Map<String, String> provenance = new LinkedHashMap<>(Provenance.corpus(train.toString(), rawPairs));
        provenance.put("parentModel", from.toString());
        provenance.put("parentSha256", parentSha);
        for (String key : List.of("corpus", "corpusSha256", "trainingSteps")) {
            if (parent.containsKey(key)) {
                provenance.put("parent" + Character.toUpperCase(key.charAt(0)) + key.substring(1), parent.get(key));
            }
        }
        TrainingRun.trainAndSave(m, pairs, devPairs, o, provenance, Map.of("parentSha256", parentSha));
        return 0;
    }

    /** SHA-256 of a file's bytes. */
    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
