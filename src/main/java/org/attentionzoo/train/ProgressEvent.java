package org.attentionzoo.train;

/**
 * Where training stands after a step, for a {@link Progress} display. Unknown values are NaN.
 *
 * @param step            updates done
 * @param epoch           the current epoch, 1-based
 * @param loss            cross entropy per target token over the current logging window
 * @param tokensPerSecond target tokens per second in this session
 * @param devBleu         the latest dev BLEU
 * @param bestBleu        the best dev BLEU so far
 * @param fraction        share of the budget used, 0 to 1
 * @param seconds         training time so far, over all sessions
 * @param etaSeconds      estimated seconds left until the budget is used up
 */
public record ProgressEvent(long step, int epoch, double loss, double tokensPerSecond, double devBleu,
                            double bestBleu, double fraction, double seconds, double etaSeconds) {
}
