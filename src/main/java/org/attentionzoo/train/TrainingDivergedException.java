package org.attentionzoo.train;

import java.nio.file.Path;

/**
 * Training diverged (a non-finite or exploding loss or parameter) at one step; the run stopped before
 * saving anything of that step, so the last checkpoint, if there is one, is still the last good one.
 */
public final class TrainingDivergedException extends IllegalStateException {

    private final long step;
    private final transient Path checkpoint;
    private final long checkpointStep;

    /**
     * @param step           the update that diverged (1 for the first)
     * @param why            what showed it, such as "the loss is NaN"
     * @param checkpoint     the last good checkpoint, or null when the run saves none
     * @param checkpointStep the step stored in it
     */
    TrainingDivergedException(long step, String why, Path checkpoint, long checkpointStep) {
        super("training diverged at step " + step + ": " + why + "; "
                + (checkpoint == null ? "nothing was saved"
                : "the last good checkpoint is " + checkpoint + " (step " + checkpointStep + ")")
                + "; lower the learning rate or clip gradients (maxGradNorm) in the model card");
        this.step = step;
        this.checkpoint = checkpoint;
        this.checkpointStep = checkpointStep;
    }

    /** The update that diverged, 1 for the first. */
    public long step() { return step; }

    /** The last good checkpoint (last.zip), or null for a run without an output folder. */
    public Path checkpoint() { return checkpoint; }

    /** The step stored in {@link #checkpoint}. */
    public long checkpointStep() { return checkpointStep; }
}
