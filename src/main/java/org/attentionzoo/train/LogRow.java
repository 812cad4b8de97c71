package org.attentionzoo.train;

import java.util.Locale;

/**
 * One row of the training log: a logging window, a dev evaluation, or both. Values that were not
 * measured are NaN and written as empty cells.
 *
 * @param step            updates done
 * @param epoch           the epoch the step belongs to, 1-based
 * @param seconds         training time so far, over all sessions
 * @param trainLoss       cross entropy per target token since the previous row
 * @param tokensPerSecond target tokens per second since the previous row
 * @param devBleu         dev BLEU after this step
 * @param devChrf         dev chrF after this step
 * @param learningRate    the optimiser's learning rate
 * @param devEvalSeconds  wall-clock seconds the dev evaluation of this row took (decoding and scoring; part of
 *                        {@code seconds}, so that its share of the budget can be read off the log)
 */
public record LogRow(long step, int epoch, double seconds, double trainLoss, double tokensPerSecond,
                     double devBleu, double devChrf, double learningRate, double devEvalSeconds) {

    /** The CSV header, in the order of {@link #csv()}. */
    public static final String HEADER =
            "step,epoch,seconds,train_loss,tokens_per_s,dev_bleu,dev_chrf,learning_rate,dev_eval_seconds";
    /** The header of logs written before {@code dev_eval_seconds} was added; their rows read with it NaN. */
    static final String HEADER_WITHOUT_EVAL_SECONDS = HEADER.substring(0, HEADER.lastIndexOf(','));

    /** A row without a dev evaluation time. */
    public LogRow(long step, int epoch, double seconds, double trainLoss, double tokensPerSecond,
                  double devBleu, double devChrf, double learningRate) {
        this(step, epoch, seconds, trainLoss, tokensPerSecond, devBleu, devChrf, learningRate, Double.NaN);
    }

    /** This row as one CSV line, without the line end. */
    public String csv() {
        return step + "," + epoch + "," + cell(seconds, "%.1f") + "," + cell(trainLoss, "%.5f") + ","
                + cell(tokensPerSecond, "%.0f") + "," + cell(devBleu, "%.2f") + "," + cell(devChrf, "%.2f") + ","
                + cell(learningRate, "%.6g") + "," + cell(devEvalSeconds, "%.2f");
    }

    /**
     * Parses a line written by {@link #csv()}, or by older versions without the last column.
     *
     * @throws IllegalArgumentException if it has another shape (such as a line cut short by a crash)
     */
    public static LogRow parse(String line) {
        String[] c = line.split(",", -1);
        if (c.length != 8 && c.length != 9) {
            throw new IllegalArgumentException("expected 9 columns, found " + c.length);
        }
        return new LogRow(Long.parseLong(c[0]), Integer.parseInt(c[1]), number(c[2]), number(c[3]), number(c[4]),
                number(c[5]), number(c[6]), number(c[7]), c.length == 9 ? number(c[8]) : Double.NaN);
    }

    private static String cell(double v, String format) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, format, v);
    }

    private static double number(String cell) {
        return cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
    }
}
