package org.attentionzoo.cli;

import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.train.CheckpointAverage;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code average}: one model whose parameters are the element-wise mean of a run's last kept checkpoints
 * ({@code train --keep-checkpoints}) or of the named model files ({@link CheckpointAverage}). The result has no
 * optimiser state, like a released model.
 */
@Command(name = "average", mixinStandardHelpOptions = true,
        description = "Average the parameters of a run's last checkpoints (or of the given models of one run) into"
                + " one model without optimizer state; finetune from it starts a fresh optimizer state.")
final class AverageCommand implements Callable<Integer> {

    @ArgGroup(multiplicity = "1")
    Inputs inputs;

    static final class Inputs {
        @Option(names = "--run", paramLabel = "DIR", description = "A train or finetune --out folder: its kept"
                + " checkpoints ckpt-STEP.zip are averaged.")
        Path run;
        @Option(names = "--models", arity = "1..*", paramLabel = "FILE", description = "Model files of one model"
                + " (same card and vocabularies) to average.")
        List<Path> models;
    }

    @Option(names = "--last", defaultValue = "5", paramLabel = "N",
            description = "With --run: average the last N kept checkpoints, or all if fewer (default ${DEFAULT-VALUE}).")
    int last;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The averaged model.zip to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<Path> models = inputs.run != null ? CheckpointAverage.lastCheckpoints(inputs.run, last) : inputs.models;
        for (Path m : models) {
            if (Files.exists(out) && Files.exists(m) && Files.isSameFile(m, out)) {
                throw new IllegalArgumentException(out + ": the output must not be one of the input models");
            }
        }
        TranslationModel averaged = CheckpointAverage.average(models);
        averaged.putProvenance(Map.of("released", "without optimizer state"));
        ModelArchive.save(averaged, out, Map.of(), false);
        System.out.printf(Locale.ROOT, "written %s: the average of %d models (%s)%n", out, models.size(),
                models.stream().map(p -> String.valueOf(p.getFileName())).collect(Collectors.joining(", ")));
        return 0;
    }
}
