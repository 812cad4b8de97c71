package org.attentionzoo.train;

import org.attentionzoo.io.ModelArchive;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.util.AtomicFiles;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The output folder of a training run:
 * <pre>
 * last.zip      the latest checkpoint: model, optimiser state and {@link TrainingState}
 * best.zip      the checkpoint with the best dev BLEU (only with a dev set)
 * model.zip     the result: best.zip's model at the end, or the last one when there is no dev set
 * ckpt-STEP.zip the parameters at checkpoint STEP, without optimiser state (the last few, for
 *               {@link CheckpointAverage}; only when asked for)
 * training.csv  one row per logging window or dev evaluation
 * training.png  loss and dev BLEU against steps
 * </pre>
 * A fresh run saves {@code last.zip} (at step 0) before any other file, so a folder with other files
 * but no {@code last.zip} is not a run and is refused rather than overwritten.
 * Every zip is written atomically (temporary file, then rename), so a run killed at any moment leaves
 * either the previous checkpoint or the new one, never a torn file. A lock on {@code .lock} keeps two
 * runs out of one folder; the operating system drops it when the process dies, even by {@code kill -9}.
 */
public final class RunFolder implements Closeable {

    /** The name of a kept checkpoint, {@code ckpt-STEP.zip}. */
    private static final Pattern CHECKPOINT = Pattern.compile("ckpt-(\\d{1,18})\\.zip");
    /** The temporary file of a kept checkpoint, as {@link AtomicFiles#temporaryFile} names it. */
    private static final Pattern CHECKPOINT_TEMPORARY = Pattern.compile("\\.ckpt-\\d{1,18}\\.zip\\.\\d+"
            + Pattern.quote(AtomicFiles.TEMPORARY_SUFFIX));

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private RunFolder(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Creates the folder if needed, locks it and removes the temporary files a killed run left behind:
     * those of its own files only ({@link AtomicFiles#leftovers}), never another program's.
     *
     * @throws IOException if {@code dir} is a file or another run holds the folder
     */
    static RunFolder open(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException(dir + ": is a file, not a folder for a training run");
        }
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null;   // held by this very JVM
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new IOException(dir + ": another training run is using this folder");
        }
        RunFolder folder = new RunFolder(dir, ch, lock);
        try {
            for (Path ours : new Path[] {folder.last(), folder.best(), folder.model(), folder.csv(), folder.chart()}) {
                for (Path stale : AtomicFiles.leftovers(ours)) {
                    Files.deleteIfExists(stale);
                }
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path stale : files.filter(f -> CHECKPOINT_TEMPORARY.matcher(f.getFileName().toString()).matches()
                        && Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                    Files.deleteIfExists(stale);
                }
            }
        } catch (IOException | RuntimeException e) {
            folder.close();
            throw e;
        }
        return folder;
    }

    Path dir() { return dir; }
    Path last() { return dir.resolve("last.zip"); }
    Path best() { return dir.resolve("best.zip"); }
    Path model() { return dir.resolve("model.zip"); }
    Path csv() { return dir.resolve("training.csv"); }
    Path chart() { return dir.resolve("training.png"); }
    Path checkpoint(long step) { return dir.resolve("ckpt-" + step + ".zip"); }

    /**
     * The kept checkpoints ({@code ckpt-STEP.zip}) of the run in {@code dir}, oldest (lowest step) first.
     *
     * @throws IOException if {@code dir} cannot be listed
     */
    static List<Path> checkpoints(Path dir) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (CHECKPOINT.matcher(f.getFileName().toString()).matches() && Files.isRegularFile(f)) {
                    found.add(f);
                }
            }
        }
        found.sort(Comparator.comparingLong(RunFolder::checkpointStep));
        return found;
    }

    /** The step of a file named {@code ckpt-STEP.zip}. */
    static long checkpointStep(Path file) {
        Matcher m = CHECKPOINT.matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(file + ": not a kept checkpoint (ckpt-STEP.zip)");
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * Writes the model's parameters (no optimiser state, no training state) to {@code ckpt-STEP.zip}, unless
     * that file exists, then deletes the oldest kept checkpoints so that {@code keep} remain. Does nothing when
     * {@code keep} is 0.
     */
    void keepCheckpoint(TranslationModel model, long step, int keep) throws IOException {
        if (keep <= 0) {
            return;
        }
        Path file = checkpoint(step);
        if (!Files.exists(file)) {
            ModelArchive.save(model, file, Map.of(), false);
        }
        List<Path> kept = checkpoints(dir);
        for (Path old : kept.subList(0, Math.max(0, kept.size() - keep))) {
            Files.deleteIfExists(old);
        }
    }

    /**
     * Picks up the run in this folder, if there is one: checks that {@code last.zip} is a checkpoint
     * of the same model (card, vocabularies, tokenizers) and run ({@code identity}), then copies its
     * parameters, optimiser state and iteration count into {@code model}.
     *
     * @return the stored state, or null for a folder with no run in it
     * @throws IOException naming the file, for a checkpoint that is corrupt or of another run; the
     *                     folder is left as it was
     */
    TrainingState resume(TranslationModel model, Map<String, String> identity) throws IOException {
        if (!Files.exists(last())) {
            // A run saves last.zip before anything else, so these files belong to something else.
            for (Path other : new Path[] {model(), best(), csv()}) {
                if (Files.exists(other)) {
                    throw new IOException(other + " exists but there is no checkpoint (last.zip) to resume from;"
                            + " use a new folder for --out");
                }
            }
            return null;
        }
        TranslationModel saved;
        Map<String, String> stored;
        try {
            saved = ModelArchive.load(last());
            stored = ModelArchive.trainingState(last());
        } catch (IOException e) {
            throw new IOException("cannot resume: " + e.getMessage() + " (the file is left as it is;"
                    + " move it away to start afresh)", e);
        }
        if (stored.isEmpty()) {
            throw new IOException(last() + ": not a training checkpoint (no training state); use a new folder for --out");
        }
        String why = difference(saved, model);
        if (why == null) {
            why = difference(TrainingState.runIdentity(stored), identity);
        }
        if (why != null) {
            throw new IOException(dir + ": --out holds a run of another model (" + why + "); use a new folder");
        }
        TrainingState state;
        try {
            state = TrainingState.fromMap(stored, last().toString());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        adopt(model.graph(), saved.graph());
        return state;
    }

    /**
     * What makes {@code saved} another model than {@code model} (card, tokenizers, vocabularies), or null when
     * they agree.
     */
    public static String difference(TranslationModel saved, TranslationModel model) {
        if (!saved.card().equals(model.card())) {
            return "card \"" + saved.card().name() + "\" there, \"" + model.card().name() + "\" here"
                    + (saved.card().name().equals(model.card().name()) ? ", with other settings" : "");
        }
        if (!saved.sourceTokenizer().name().equals(model.sourceTokenizer().name())
                || !saved.targetTokenizer().name().equals(model.targetTokenizer().name())) {
            return "other tokenizers";
        }
        if (!saved.sourceVocab().tokens().equals(model.sourceVocab().tokens())
                || !saved.targetVocab().tokens().equals(model.targetVocab().tokens())) {
            return "other vocabularies";
        }
        return null;
    }

    /** What makes a stored run's identity another one than this, or null when they agree. */
    private static String difference(Map<String, String> storedId, Map<String, String> id) {
        for (var e : id.entrySet()) {
            String there = storedId.get(e.getKey());
            if (!Objects.equals(there, e.getValue())) {
                return e.getKey() + " " + there + " there, " + e.getValue() + " here";
            }
        }
        return null;
    }

    /** Copies parameters, optimiser state and the iteration count (Adam's bias correction) of {@code from}. */
    /**
     * Puts a saved graph's parameters, optimiser state (when it has one) and iteration and epoch counts into
     * {@code to}, the graph of the same model being trained.
     */
    public static void adopt(ComputationGraph to, ComputationGraph from) {
        to.setParams(from.params());
        if (from.getUpdater(false) != null && from.getUpdater().getStateViewArray() != null) {
            to.getUpdater().getStateViewArray().assign(from.getUpdater().getStateViewArray());
        }
        to.getConfiguration().setIterationCount(from.getConfiguration().getIterationCount());
        to.getConfiguration().setEpochCount(from.getConfiguration().getEpochCount());
    }

    /** Saves a checkpoint (model, optimiser state, training state) atomically. */
    void save(Path file, TranslationModel model, TrainingState state, Map<String, String> identity) throws IOException {
        ModelArchive.save(model, file, state.toMap(identity));
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
