package org.attentionzoo.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options shared by {@code train} and {@code finetune}: output folder, budgets, batching, dev evaluation. */
final class TrainingOptions {

    @Option(names = "--dev", description = "Dev TSV, scored with greedy decoding every --eval-every steps;"
            + " the best-scoring model is kept.")
    Path dev;

    @Option(names = "--out", required = true, description = "Output folder: last.zip, best.zip, model.zip, ckpt-STEP.zip,"
            + " training.csv, training.png. Run again with the same folder to resume.")
    Path out;

    @Option(names = "--minutes", description = "Wall-clock training budget in minutes, resumed sessions included.")
    double minutes;

    @Option(names = "--epochs", description = "Number of passes over the training data.")
    int epochs;

    @Option(names = "--steps", description = "Number of updates, resumed sessions included.")
    long steps;

    @Option(names = "--batch", defaultValue = "64", description = "Sentence pairs per batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--batch-tokens", defaultValue = "0",
            description = "Most padded token positions per batch (sentences x the longest side, +1 for the target's"
                    + " end); long sentences then come in smaller batches, which bounds training memory. 0 for no cap"
                    + " (default ${DEFAULT-VALUE}).")
    int batchTokens;

    @Option(names = "--workers", defaultValue = "0",
            description = "Threads that share each batch's gradient, one shard of its sentences each; 0 for one per"
                    + " core divided by --threads (default ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for data order and generated tasks (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-length", defaultValue = "50",
            description = "Pairs with more tokens on either side are skipped and counted (default ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--eval-every", defaultValue = "500",
            description = "Steps between dev evaluations and checkpoints (default ${DEFAULT-VALUE}).")
    int evalEvery;

    @Option(names = "--patience", defaultValue = "10",
            description = "Stop after this many dev evaluations without a better BLEU; 0 never stops early"
                    + " (default ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--dev-max", defaultValue = "1000",
            description = "Score only the first N dev pairs during training; 0 for all (default ${DEFAULT-VALUE}).")
    int devMax;

    @Option(names = "--keep-checkpoints", defaultValue = "5", paramLabel = "N",
            description = "Keep the parameters of the last N checkpoints (every --eval-every steps, and the last step)"
                    + " as ckpt-STEP.zip in --out, for `average`; 0 keeps none (default ${DEFAULT-VALUE}).")
    int keepCheckpoints;

    @Option(names = "--log-every", defaultValue = "100",
            description = "Steps between rows of training.csv (and progress lines off a terminal) (default ${DEFAULT-VALUE}).")
    int logEvery;

    @Option(names = "--skip-bad-lines", description = "Count and skip malformed TSV lines (no tab, an empty side,"
            + " invalid UTF-8) instead of stopping.")
    boolean skipBadLines;

    /**
     * Checks the numbers (a negative or non-finite budget is refused, not taken for "none") and applies the
     * default budget of 10 minutes when none was given.
     */
    void check() {
        if (!(minutes >= 0) || Double.isInfinite(minutes) || epochs < 0 || steps < 0) {
            throw new IllegalArgumentException("--minutes, --epochs and --steps must be positive numbers, or 0 for no"
                    + " such limit; got --minutes " + minutes + ", --epochs " + epochs + ", --steps " + steps);
        }
        if (minutes <= 0 && epochs <= 0 && steps <= 0) {
            minutes = 10;
        }
        if (batch < 1 || batchTokens < 0 || maxLength < 1 || evalEvery < 1 || patience < 0 || devMax < 0
                || logEvery < 1 || keepCheckpoints < 0) {
            throw new IllegalArgumentException("--batch, --max-length, --eval-every and --log-every must be positive,"
                    + " --batch-tokens, --patience, --dev-max and --keep-checkpoints 0 or more");
        }
    }
}
