package org.attentionzoo.spark;

import org.attentionzoo.data.ParallelCorpus;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.Task;
import org.attentionzoo.data.Tasks;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.models.Zoo;
import org.attentionzoo.train.TrainingData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code train} on Spark ({@link SparkTrainer}): a new model of a card on a generated task, or a model.zip trained
 * further on a TSV corpus with its own tokenizers and vocabularies.
 */
@Command(name = "train", description = "Train by synchronous parameter averaging across the executors: a card on a "
        + "generated task (--model, --task), or a model.zip further on a corpus (--from, --train). Writes last.zip and "
        + "model.zip to --out; run again on the same --out to resume.")
final class SparkTrainCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    SparkZoo parent;

    @Option(names = "--model", paramLabel = "CARD", description = "A card name or JSON file, for a new model (with --task).")
    String card;

    @Option(names = "--task", description = "Generated task: " + "dates, reverse or copy (with --model).")
    String task;

    @Option(names = "--pairs", defaultValue = "30000", description = "Generated pairs (default ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--from", paramLabel = "MODEL", description = "A model.zip to train further (with --train).")
    Path from;

    @Option(names = "--train", paramLabel = "FILE", description = "Corpus TSV (source<TAB>target), read on the driver.")
    Path train;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (on the driver).")
    Path out;

    @Option(names = "--rounds", defaultValue = "100", description = "Averaging rounds in all (default ${DEFAULT-VALUE}).")
    long rounds;

    @Option(names = "--steps-per-round", defaultValue = "10", paramLabel = "K",
            description = "Adam steps per partition between averagings (default ${DEFAULT-VALUE}).")
    int stepsPerRound;

    @Option(names = "--batch-size", defaultValue = "32", description = "Pairs per batch on each partition (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-length", defaultValue = "50", description = "Skip pairs longer than this many tokens (default ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--partitions", paramLabel = "N", description = "Data shards, one replica each per round "
            + "(default: Spark's default parallelism).")
    Integer partitions;

    @Option(names = "--seed", defaultValue = "1", description = "Data seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        List<SentencePair> data;
        TranslationModel model;
        if (card != null && task != null && from == null && train == null) {
            Task t = Tasks.forName(task);
            data = t.generate(pairs, seed);
            model = TranslationModel.create(Zoo.card(card),
                    TrainingData.sourceVocabulary(data, t.sourceTokenizer(), 1, 10_000),
                    TrainingData.targetVocabulary(data, t.targetTokenizer(), 1, 10_000),
                    t.sourceTokenizer(), t.targetTokenizer());
        } else if (from != null && train != null && card == null && task == null) {
            data = ParallelCorpus.read(train, false).pairs();
            model = ModelArchive.load(from, true);
        } else {
            throw new IllegalArgumentException("give either --model and --task, or --from and --train");
        }
        SparkTrainer trainer = SparkTrainer.builder().model(model).batchSize(batchSize).maxLength(maxLength)
                .stepsPerRound(stepsPerRound).rounds(rounds).seed(seed).out(out).log(System.err).build();
        SparkTrainer.Result r = parent.withSpark("train", sc -> {
            try {
                int n = partitions != null ? partitions : sc.defaultParallelism();
                return trainer.train(sc, sc.parallelize(SparkTrainer.tuples(data), n));
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        });
        System.err.printf(Locale.ROOT, "%d rounds (%d steps per partition), %d pairs, last loss %.4f per token; wrote %s%n",
                r.rounds(), r.steps(), r.examples(), r.lastLoss(), out.resolve("model.zip"));
        return 0;
    }
}
