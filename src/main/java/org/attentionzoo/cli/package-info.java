/**
 * The picocli command line hosted by the runnable jar: zoo, train, finetune, translate, evaluate,
 * bleu, chrf, align.
 *
 * <p>{@code train} and {@code finetune} write a run folder ({@code --out}): {@code model.zip} (the
 * best model by dev BLEU, or the last one without {@code --dev}), {@code last.zip} and
 * {@code best.zip} checkpoints, {@code training.csv} and {@code training.png}. Run the same command
 * again with the same {@code --out} to resume an interrupted run, or to extend a finished one with a
 * larger {@code --steps}, {@code --epochs} or {@code --minutes}.
 */
package org.attentionzoo.cli;
