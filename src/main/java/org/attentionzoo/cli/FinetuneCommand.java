package org.attentionzoo.cli;

import org.attentionzoo.data.ParallelCorpus;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
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

    @Override
    public Integer call() throws Exception {
        TrainingOptions o = options;
        o.check();
        TranslationModel m = ModelArchive.load(from);
        ParallelCorpus corpus = ParallelCorpus.read(train, o.skipBadLines);
        if (corpus.skippedLines() > 0) {
            System.err.printf("%s: skipped %d malformed lines%n", train, corpus.skippedLines());
        }
        List<SentencePair> pairs = corpus.pairs();
        List<SentencePair> devPairs = o.dev == null ? null : ParallelCorpus.read(o.dev, o.skipBadLines).pairs();
        double sourceUnk = m.sourceVocab().unkRate(pairs.stream().map(p -> m.sourceTokenizer().tokenize(p.source())).toList());
        double targetUnk = m.targetVocab().unkRate(pairs.stream().map(p -> m.targetTokenizer().tokenize(p.target())).toList());
        System.out.printf(Locale.ROOT, "%s under the vocabularies of %s: UNK rate source %.2f%%, target %.2f%%%n",
                train, from, 100 * sourceUnk, 100 * targetUnk);

        String parentSha = sha256(from);
        Map<String, String> parent = m.provenance();
        Map<String, String> provenance = new LinkedHashMap<>(Provenance.corpus(train.toString(), pairs));
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
