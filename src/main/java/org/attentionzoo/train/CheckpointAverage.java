package org.attentionzoo.train;

import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checkpoint averaging: one model whose every parameter is the element-wise mean of the same parameter in
 * N models of one run, θ̄ = (1/N) Σ_k θ_k, summed in double precision and stored in the models' own data type.
 * Vaswani et al. 2017 (§6.1) translate with the average of their last checkpoints: the mean of points along
 * the end of the optimisation path smooths its noise, usually for a small gain over the last one alone.
 *
 * <p>Only the parameters are averaged. The result carries no optimiser state (like a released model): it
 * translates, and {@code finetune} from it starts a fresh optimiser state. Its card, vocabularies,
 * tokenizers and placeholder setting are those of the models, which must all agree.
 */
public final class CheckpointAverage {

    private CheckpointAverage() {
    }

    /**
     * The element-wise mean of the parameters of {@code models} (model files), loaded one at a time.
     *
     * @return a model without optimiser state; its provenance is the last file's, plus {@code averagedFrom}
     *         (the file names, comma-separated)
     * @throws IOException              naming the file that cannot be read
     * @throws IllegalArgumentException for no models, or naming a model whose card, tokenizers, vocabularies
     *                                  or placeholder setting differ from the first's
     */
    public static TranslationModel average(List<Path> models) throws IOException {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("no models to average");
        }
        Path firstFile = models.get(0);
        TranslationModel first = ModelArchive.load(firstFile, false);
        INDArray params = first.graph().params();
        INDArray sum = Nd4j.create(DataType.DOUBLE, params.shape()).addi(params.castTo(DataType.DOUBLE));
        Map<String, String> provenance = first.provenance();
        for (Path file : models.subList(1, models.size())) {
            TranslationModel other = ModelArchive.load(file, false);
            String why = RunFolder.difference(other, first);
            if (why == null && other.masksPlaceholders() != first.masksPlaceholders()) {
                why = "placeholder masking " + (other.masksPlaceholders() ? "on" : "off") + " there, "
                        + (first.masksPlaceholders() ? "on" : "off") + " in " + firstFile;
            }
            if (why == null && other.graph().params().length() != params.length()) {
                why = other.graph().params().length() + " parameters, " + params.length() + " in " + firstFile;
            }
            if (why != null) {
                throw new IllegalArgumentException(file + ": not the same model as " + firstFile + " (" + why
                        + "); only checkpoints of one model can be averaged");
            }
            sum.addi(other.graph().params().castTo(DataType.DOUBLE));
            provenance = other.provenance();
        }
        first.graph().setParams(sum.divi(models.size()).castTo(params.dataType()));
        Map<String, String> p = new LinkedHashMap<>(provenance);
        p.put("averagedFrom", models.stream().map(f -> String.valueOf(f.getFileName())).collect(Collectors.joining(",")));
        return new TranslationModel(first.card(), first.graph(), first.sourceVocab(), first.targetVocab(),
                first.sourceTokenizer(), first.targetTokenizer(), p, first.masksPlaceholders());
    }

    /**
     * The last {@code n} (or all, if fewer) checkpoints a training run kept in its folder ({@code ckpt-STEP.zip},
     * see {@link Trainer.Builder#keepCheckpoints}), oldest first.
     *
     * @throws IOException naming the folder when it is not one or holds no kept checkpoint
     */
    public static List<Path> lastCheckpoints(Path run, int n) throws IOException {
        if (n < 1) {
            throw new IllegalArgumentException("the number of checkpoints to average must be positive, got " + n);
        }
        if (!Files.isDirectory(run)) {
            throw new IOException(run + ": not a training run's folder");
        }
        List<Path> all = RunFolder.checkpoints(run);
        if (all.isEmpty()) {
            throw new IOException(run + ": no kept checkpoints (ckpt-STEP.zip); train with --keep-checkpoints N");
        }
        return all.subList(Math.max(0, all.size() - n), all.size());
    }
}
