package org.attentionzoo.train;

/**
 * What a training run did, over all its sessions when it was resumed.
 *
 * @param steps          parameter updates
 * @param epochs         complete passes over the data
 * @param seconds        wall-clock time
 * @param targetTokens   non-padding target tokens seen
 * @param lastLoss       cross entropy per target token over the last logging window
 * @param bestBleu       best dev BLEU, NaN without a dev set
 * @param bestStep       step of the best dev BLEU, 0 without a dev set
 * @param stoppedEarly   whether dev BLEU stopped improving for {@code patience} evaluations
 * @param resumedAtStep  the step the run resumed from a checkpoint at, 0 for a fresh start
 */
public record TrainingSummary(long steps, int epochs, double seconds, long targetTokens, double lastLoss,
                              double bestBleu, long bestStep, boolean stoppedEarly, long resumedAtStep) {

    /** A summary of a run without dev evaluation or resumption. */
    public TrainingSummary(long steps, int epochs, double seconds, long targetTokens, double lastLoss) {
        this(steps, epochs, seconds, targetTokens, lastLoss, Double.NaN, 0, false, 0);
    }

    /** Target tokens per second. */
    public double tokensPerSecond() {
        return targetTokens / seconds;
    }
}
