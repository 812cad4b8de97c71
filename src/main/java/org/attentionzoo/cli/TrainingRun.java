package org.attentionzoo.cli;

import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.TeacherForcingIterator;
import org.attentionzoo.decode.Translation;
import org.attentionzoo.decode.Translator;
import org.attentionzoo.eval.ExactMatch;
import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.models.Zoo;
import org.attentionzoo.train.Progress;
import org.attentionzoo.train.Trainer;
import org.attentionzoo.train.TrainingData;
import org.attentionzoo.train.TrainingSummary;
import org.attentionzoo.util.Threads;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The part of {@code train} and {@code finetune} after the model and data are ready: train, report, save. */
final class TrainingRun {

    private TrainingRun() {
    }

    /**
     * Trains {@code m} into {@code o.out}, resuming the run there if there is one, and reports.
     *
     * @param provenance entries for model.zip naming the data (and the parent model)
     * @param identity   extra entries a run in {@code o.out} must match to be resumed
     */
    static void trainAndSave(TranslationModel m, List<SentencePair> trainPairs, List<SentencePair> devPairs,
                             TrainingOptions o, Map<String, String> provenance, Map<String, String> identity)
            throws Exception {
        TeacherForcingIterator batches = TrainingData.batches(m, trainPairs, o.batch, o.batchTokens, o.maxLength, o.seed);
        System.out.println(batches.report());
        System.out.printf(Locale.ROOT, "vocabularies: source %,d, target %,d; %s: %,d parameters%n",
                m.sourceVocab().size(), m.targetVocab().size(), m.card().name(), Zoo.parameterCount(m.graph()));
        Map<String, String> id = new LinkedHashMap<>();
        id.put("corpusSha256", TrainingData.sha256(trainPairs));
        id.put("seed", Long.toString(o.seed));
        id.put("batch", Integer.toString(o.batch));
        if (o.batchTokens > 0) {
            id.put("batchTokens", Integer.toString(o.batchTokens));
        }
        id.put("maxLength", Integer.toString(o.maxLength));
        id.putAll(identity);
        Trainer trainer = Trainer.builder().model(m).data(batches)
                .maxMinutes(o.minutes).maxEpochs(o.epochs).maxSteps(o.steps).workers(o.workers)
                .dev(devPairs).devMax(o.devMax).evalEvery(o.evalEvery).patience(o.patience)
                .keepCheckpoints(o.keepCheckpoints)
                .logEvery(o.logEvery).progress(Progress.forConsole(System.out, o.logEvery))
                .out(o.out).runIdentity(id).provenance(provenance)
                .build();
        int threads = Threads.current();
        System.out.printf(Locale.ROOT,
                "%d worker%s (a shard of each batch each), %d thread%s per operation, Java heap up to %,d MB%n",
                trainer.workers(), trainer.workers() == 1 ? "" : "s", threads, threads == 1 ? "" : "s",
                Runtime.getRuntime().maxMemory() >> 20);
        TrainingSummary s = trainer.train();
        Path modelFile = o.out.resolve("model.zip");
        System.out.printf(Locale.ROOT, "trained %d steps (%d epochs) in %.0f s, %,.0f target tokens/s%s%n",
                s.steps(), s.epochs(), s.seconds(), s.tokensPerSecond(),
                s.stoppedEarly() ? "; stopped early" : "");
        if (devPairs != null) {
            System.out.printf(Locale.ROOT, "saved %s: the model of step %d, dev BLEU %.2f (best.zip)%n", modelFile,
                    s.bestStep(), s.bestBleu());
            TranslationModel kept = ModelArchive.load(modelFile, false);
            List<Translation> hyps = new Translator(kept).translateAll(devPairs.stream().map(SentencePair::source).toList());
            double em = ExactMatch.percent(hyps.stream().map(Translation::text).toList(),
                    devPairs.stream().map(SentencePair::target).toList());
            System.out.printf(Locale.ROOT, "dev exact-match: %.1f%% (%d pairs)%n", em, devPairs.size());
        } else {
            System.out.printf(Locale.ROOT, "saved %s: the model of the last step (no dev set)%n", modelFile);
        }
    }
}
