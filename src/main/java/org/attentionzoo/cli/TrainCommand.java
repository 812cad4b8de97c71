package org.attentionzoo.cli;

import org.attentionzoo.data.ParallelCorpus;
import org.attentionzoo.data.Placeholders;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.Task;
import org.attentionzoo.data.Tasks;
import org.attentionzoo.data.Tokenizer;
import org.attentionzoo.data.Tokenizers;
import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.models.Zoo;
import org.attentionzoo.train.Provenance;
import org.attentionzoo.train.TrainingData;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code train}: trains a zoo model on TSV files or a generated task into an output folder (see
 * {@link TrainingOptions}); started again on the same folder it resumes the run from its last checkpoint.
 */
@Command(name = "train", description = "Train a zoo model into <out> (model.zip, checkpoints, log); rerun to resume.")
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Card name (see `zoo`) or a card JSON file.")
    String model;

    @ArgGroup(multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--train", description = "Training TSV (source<TAB>target).")
        Path train;
        @Option(names = "--task", description = "Generated task instead of files: dates, reverse or copy.")
        String task;
    }

    @Mixin
    TrainingOptions options;

    @Option(names = "--min-freq", defaultValue = "1", description = "Minimum token count for the vocabularies (default ${DEFAULT-VALUE}).")
    int minFreq;

    @Option(names = "--max-vocab", defaultValue = "8000", description = "Maximum vocabulary size per side (default ${DEFAULT-VALUE}).")
    int maxVocab;

    /** The tokenizer of both sides of a training file when none is named: subwords, with a character fallback. */
    static final int DEFAULT_MERGES = 4000;
    static final String DEFAULT_TOKENIZER = "bpe:" + DEFAULT_MERGES;

    @Option(names = "--source-tokenizer", description = "words, chars, bpe:N (words + N byte-pair merges learned from"
            + " the training corpus, every character of it kept as a fallback) or bpe-chars:N (default: "
            + DEFAULT_TOKENIZER + " for files, the task's own for --task).")
    String sourceTokenizer;

    @Option(names = "--target-tokenizer", description = "words, chars, bpe:N or bpe-chars:N (default: " + DEFAULT_TOKENIZER
            + " for files, the task's own for --task).")
    String targetTokenizer;

    @Option(names = "--joint-bpe", description = "Learn one set of BPE merges on source and target text together, so"
            + " that text copied from source to target (names, placeholders, paths) is split the same way on both"
            + " sides; for languages that share a script. Both tokenizers must then be the same bpe specification.")
    boolean jointBpe;

    @Option(names = "--mask-placeholders", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Replace what software messages copy verbatim (printf and brace placeholders, --options,"
                    + " URLs, paths) by placeholder symbols while training and translating, and put it back in the"
                    + " output; for files, on unless --no-mask-placeholders (default ${DEFAULT-VALUE}).")
    boolean maskPlaceholders;

    @Option(names = "--task-size", defaultValue = "20000", description = "Pairs to generate for --task (default ${DEFAULT-VALUE}).")
    int taskSize;

    @Override
    public Integer call() throws Exception {
        TrainingOptions o = options;
        o.check();
        ModelCard card = Zoo.card(model);
        List<SentencePair> trainPairs;
        List<SentencePair> devPairs = null;
        Tokenizer src;
        Tokenizer tgt;
        String corpus;
        boolean masked = source.task == null && maskPlaceholders;
        List<SentencePair> corpusPairs;                                  // as read or generated, for provenance
        if (source.task != null) {
            Task task = Tasks.forName(source.task);
            trainPairs = task.generate(taskSize, o.seed);
            devPairs = task.generate(500, o.seed + 1_000_003L);
            src = sourceTokenizer == null ? task.sourceTokenizer()
                    : Tokenizers.learn(sourceTokenizer, trainPairs.stream().map(SentencePair::source).toList());
            tgt = targetTokenizer == null ? task.targetTokenizer()
                    : Tokenizers.learn(targetTokenizer, trainPairs.stream().map(SentencePair::target).toList());
            corpus = "task:" + source.task + " n=" + taskSize + " seed=" + o.seed;
            corpusPairs = trainPairs;
        } else {
            ParallelCorpus corpusFile = ParallelCorpus.read(source.train, o.skipBadLines);
            corpusPairs = corpusFile.pairs();
            trainPairs = corpusPairs;
            if (masked) {
                trainPairs = trainPairs.stream().map(Placeholders::mask).toList();
            }
            if (corpusFile.skippedLines() > 0) {
                System.err.printf("%s: skipped %d malformed lines%n", source.train, corpusFile.skippedLines());
            }
            String srcSpec = sourceTokenizer == null ? DEFAULT_TOKENIZER : sourceTokenizer;
            String tgtSpec = targetTokenizer == null ? DEFAULT_TOKENIZER : targetTokenizer;
            List<String> sources = trainPairs.stream().map(SentencePair::source).toList();
            List<String> targets = trainPairs.stream().map(SentencePair::target).toList();
            if (jointBpe) {
                if (!srcSpec.equals(tgtSpec) || !srcSpec.startsWith("bpe")) {
                    throw new IllegalArgumentException("--joint-bpe needs the same bpe tokenizer on both sides, got"
                            + " source " + srcSpec + " and target " + tgtSpec);
                }
                List<String> both = new java.util.ArrayList<>(sources);
                both.addAll(targets);
                src = Tokenizers.learn(srcSpec, both);
                tgt = src;
            } else {
                src = Tokenizers.learn(srcSpec, sources);
                tgt = Tokenizers.learn(tgtSpec, targets);
            }
            corpus = source.train.toString();
        }
        if (o.dev != null) {
            devPairs = ParallelCorpus.read(o.dev, o.skipBadLines).pairs();
        }
        Vocabulary srcVocab;
        Vocabulary tgtVocab;
        if (card.tieEmbeddings() == ModelCard.Tie.ALL) {                 // one matrix for both sides: one vocabulary
            srcVocab = TrainingData.jointVocabulary(trainPairs, src, tgt, minFreq, maxVocab);
            tgtVocab = srcVocab;
        } else {
            srcVocab = TrainingData.sourceVocabulary(trainPairs, src, minFreq, maxVocab);
            tgtVocab = TrainingData.targetVocabulary(trainPairs, tgt, minFreq, maxVocab);
        }
        TranslationModel m = TranslationModel.create(card, srcVocab, tgtVocab, src, tgt).withPlaceholders(masked);
        TrainingRun.trainAndSave(m, trainPairs, devPairs, o, Provenance.corpus(corpus, corpusPairs), Map.of());
        return 0;
    }
}
