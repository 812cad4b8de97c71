package org.attentionzoo.cli;

import org.attentionzoo.data.ParallelCorpus;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.Task;
import org.attentionzoo.data.Tasks;
import org.attentionzoo.data.TeacherForcingIterator;
import org.attentionzoo.data.Tokenizer;
import org.attentionzoo.data.Tokenizers;
import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.eval.ExactMatch;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.models.Zoo;
import org.attentionzoo.train.Provenance;
import org.attentionzoo.train.Trainer;
import org.attentionzoo.train.TrainingData;
import org.attentionzoo.train.TrainingSummary;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code train}: trains a zoo model on TSV files or a generated task and saves it as DIR/model.zip. */
@Command(name = "train", description = "Train a zoo model and save it as <out>/model.zip.")
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

    @Option(names = "--dev", description = "Dev TSV, scored after training.")
    Path dev;

    @Option(names = "--out", required = true, description = "Output folder; the model is written to <out>/model.zip.")
    Path out;

    @Option(names = "--minutes", description = "Wall-clock training budget in minutes.")
    double minutes;

    @Option(names = "--epochs", description = "Number of passes over the training data.")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", description = "Sentence pairs per batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for data order and generated tasks (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-length", defaultValue = "50",
            description = "Pairs with more tokens on either side are skipped and counted (default ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--min-freq", defaultValue = "1", description = "Minimum token count for the vocabularies (default ${DEFAULT-VALUE}).")
    int minFreq;

    @Option(names = "--max-vocab", defaultValue = "8000", description = "Maximum vocabulary size per side (default ${DEFAULT-VALUE}).")
    int maxVocab;

    @Option(names = "--source-tokenizer", description = "words or chars (default: words, or the task's own).")
    String sourceTokenizer;

    @Option(names = "--target-tokenizer", description = "words or chars (default: words, or the task's own).")
    String targetTokenizer;

    @Option(names = "--task-size", defaultValue = "20000", description = "Pairs to generate for --task (default ${DEFAULT-VALUE}).")
    int taskSize;

    @Option(names = "--skip-bad-lines", description = "Count and skip malformed TSV lines instead of stopping.")
    boolean skipBadLines;

    @Override
    public Integer call() throws Exception {
        if (minutes <= 0 && epochs <= 0) {
            minutes = 10;
        }
        ModelCard card = Zoo.card(model);
        List<SentencePair> trainPairs;
        List<SentencePair> devPairs = null;
        Tokenizer src;
        Tokenizer tgt;
        String corpus;
        if (source.task != null) {
            Task task = Tasks.forName(source.task);
            trainPairs = task.generate(taskSize, seed);
            devPairs = task.generate(500, seed + 1_000_003L);
            src = sourceTokenizer == null ? task.sourceTokenizer() : Tokenizers.forName(sourceTokenizer);
            tgt = targetTokenizer == null ? task.targetTokenizer() : Tokenizers.forName(targetTokenizer);
            corpus = "task:" + source.task + " n=" + taskSize + " seed=" + seed;
        } else {
            ParallelCorpus corpusFile = ParallelCorpus.read(source.train, skipBadLines);
            trainPairs = corpusFile.pairs();
            if (corpusFile.skippedLines() > 0) {
                System.err.printf("%s: skipped %d malformed lines%n", source.train, corpusFile.skippedLines());
            }
            src = Tokenizers.forName(sourceTokenizer == null ? "words" : sourceTokenizer);
            tgt = Tokenizers.forName(targetTokenizer == null ? "words" : targetTokenizer);
            corpus = source.train.toString();
        }
        if (dev != null) {
            devPairs = ParallelCorpus.read(dev, skipBadLines).pairs();
        }
        Path modelFile = out.resolve("model.zip");
        Files.createDirectories(out);

        Vocabulary srcVocab = TrainingData.sourceVocabulary(trainPairs, src, minFreq, maxVocab);
        Vocabulary tgtVocab = TrainingData.targetVocabulary(trainPairs, tgt, minFreq, maxVocab);
        TranslationModel m = TranslationModel.create(card, srcVocab, tgtVocab, src, tgt);
        TeacherForcingIterator batches = TrainingData.batches(m, trainPairs, batch, maxLength, seed);
        System.out.println(batches.report());
        System.out.printf(Locale.ROOT, "vocabularies: source %,d, target %,d; %s: %,d parameters%n",
                srcVocab.size(), tgtVocab.size(), card.name(), Zoo.parameterCount(m.graph()));
        TrainingSummary s = Trainer.builder().model(m).data(batches).maxMinutes(minutes).maxEpochs(epochs)
                .logEvery(100).log(System.out).build().train();
        m.putProvenance(Provenance.of(corpus, trainPairs, s));
        ModelArchive.save(m, modelFile);
        System.out.printf(Locale.ROOT, "trained %d steps (%d epochs) in %.0f s, %,.0f target tokens/s; saved %s%n",
                s.steps(), s.epochs(), s.seconds(), s.tokensPerSecond(), modelFile);
        if (devPairs != null) {
            List<Translation> hyps = new Translator(m).translateAll(devPairs.stream().map(SentencePair::source).toList());
            double em = ExactMatch.percent(hyps.stream().map(Translation::text).toList(),
                    devPairs.stream().map(SentencePair::target).toList());
            System.out.printf(Locale.ROOT, "dev exact-match: %.1f%% (%d pairs)%n", em, devPairs.size());
        }
        return 0;
    }
}
