package org.attentionzoo.cli;

import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code release}: a model file for deployment, without the optimiser state that training keeps for resuming (with
 * Adam, two numbers per parameter: two thirds of a trained model's file). It translates exactly as the original;
 * {@code finetune} from it starts a fresh optimiser state.
 */
@Command(name = "release", mixinStandardHelpOptions = true, description = "Write a model without its optimizer state, for deployment: smaller, faster to load, "
        + "translates the same; finetune from it starts a fresh optimizer state.")
final class ReleaseCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.zip written by train or finetune.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The released model.zip to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(out) && Files.isSameFile(model, out)) {
            throw new IllegalArgumentException(out + ": the output must not be the input model");
        }
        TranslationModel m = ModelArchive.load(model, false);
        m.putProvenance(Map.of("released", "without optimizer state"));
        ModelArchive.save(m, out, Map.of(), false);
        System.out.printf(Locale.ROOT, "written %s: %.1f MB (from %.1f MB)%n", out, Files.size(out) / 1e6,
                Files.size(model) / 1e6);
        return 0;
    }
}
