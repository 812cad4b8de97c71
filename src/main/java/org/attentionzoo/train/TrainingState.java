package org.attentionzoo.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where a training run stands, as stored in every checkpoint next to the weights and the optimiser
 * state: enough to carry on exactly where it stopped. The data position is kept as the number of
 * completed epochs, the data iterator's own epoch number and the batches served in that epoch, so a
 * {@link org.attentionzoo.data.TeacherForcingIterator} can be moved back to the very next batch.
 */
final class TrainingState {

    /** Parameter updates done. */
    long step;
    /** Complete passes over the data. */
    int epochs;
    /** The data iterator's epoch number (its shuffle), -1 when unknown. */
    int iteratorEpoch = -1;
    /** Batches of the current epoch already trained on. */
    int batchInEpoch;
    /** Non-padding target tokens seen. */
    long targetTokens;
    /** Wall-clock seconds spent training, over all sessions (what a minutes budget counts). */
    double seconds;
    /** Best dev BLEU so far, NaN before the first evaluation. */
    double bestBleu = Double.NaN;
    /** Dev chrF of the best evaluation, which breaks ties in BLEU; NaN before the first. */
    double bestChrf = Double.NaN;
    /** Step of the best dev BLEU, 0 when none. */
    long bestStep;
    /** Step of the last dev evaluation, 0 when none. */
    long lastEvalStep;
    /** Dev evaluations since the best one. */
    int evalsWithoutImprovement;
    /** Whether early stopping ended the run. */
    boolean stoppedEarly;
    /** Loss per target token over the last logging window. */
    double lastLoss = Double.NaN;

    /** The state as text entries, with {@code run.}-prefixed entries identifying the run. */
    Map<String, String> toMap(Map<String, String> runIdentity) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("step", Long.toString(step));
        m.put("epochs", Integer.toString(epochs));
        m.put("iteratorEpoch", Integer.toString(iteratorEpoch));
        m.put("batchInEpoch", Integer.toString(batchInEpoch));
        m.put("targetTokens", Long.toString(targetTokens));
        m.put("seconds", Double.toString(seconds));
        m.put("bestBleu", Double.toString(bestBleu));
        m.put("bestChrf", Double.toString(bestChrf));
        m.put("bestStep", Long.toString(bestStep));
        m.put("lastEvalStep", Long.toString(lastEvalStep));
        m.put("evalsWithoutImprovement", Integer.toString(evalsWithoutImprovement));
        m.put("stoppedEarly", Boolean.toString(stoppedEarly));
        m.put("lastLoss", Double.toString(lastLoss));
        runIdentity.forEach((k, v) -> m.put("run." + k, v));
        return m;
    }

    /**
     * Reads a state written by {@link #toMap}.
     *
     * @param origin names the checkpoint in error messages
     * @throws IllegalArgumentException naming the origin and the bad entry
     */
    static TrainingState fromMap(Map<String, String> m, String origin) {
        TrainingState s = new TrainingState();
        try {
            s.step = Long.parseLong(get(m, "step", origin));
            s.epochs = Integer.parseInt(get(m, "epochs", origin));
            s.iteratorEpoch = Integer.parseInt(get(m, "iteratorEpoch", origin));
            s.batchInEpoch = Integer.parseInt(get(m, "batchInEpoch", origin));
            s.targetTokens = Long.parseLong(get(m, "targetTokens", origin));
            s.seconds = Double.parseDouble(get(m, "seconds", origin));
            s.bestBleu = Double.parseDouble(get(m, "bestBleu", origin));
            s.bestChrf = Double.parseDouble(get(m, "bestChrf", origin));
            s.bestStep = Long.parseLong(get(m, "bestStep", origin));
            s.lastEvalStep = Long.parseLong(get(m, "lastEvalStep", origin));
            s.evalsWithoutImprovement = Integer.parseInt(get(m, "evalsWithoutImprovement", origin));
            s.stoppedEarly = Boolean.parseBoolean(get(m, "stoppedEarly", origin));
            s.lastLoss = Double.parseDouble(get(m, "lastLoss", origin));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(origin + ": corrupted training state (" + e.getMessage() + ")", e);
        }
        return s;
    }

    /** The {@code run.}-prefixed entries of a stored state, without the prefix. */
    static Map<String, String> runIdentity(Map<String, String> m) {
        Map<String, String> id = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (k.startsWith("run.")) {
                id.put(k.substring(4), v);
            }
        });
        return id;
    }

    private static String get(Map<String, String> m, String key, String origin) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException(origin + ": corrupted training state (\"" + key + "\" is missing)");
        }
        return v;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "step %d (epoch %d, batch %d)", step, epochs + 1, batchInEpoch);
    }
}
