package org.attentionzoo.train;

/**
 * What a training run did.
 *
 * @param steps        parameter updates
 * @param epochs       complete passes over the data
 * @param seconds      wall-clock time
 * @param targetTokens non-padding target tokens seen
 * @param lastLoss     cross entropy per target token over the last logging window
 */
public record TrainingSummary(long steps, int epochs, double seconds, long targetTokens, double lastLoss) {

    /** Target tokens per second. */
    public double tokensPerSecond() {
        return targetTokens / seconds;
    }
}
