package org.attentionzoo.spark;

/**
 * A line of the input that cannot be translated (not UTF-8, or longer than the source length limit), found by a
 * task: its message is {@code "<origin>:<line>: <why>"}, as the command line reports bad lines. Serializable, so
 * that Spark carries it from the executor to the driver.
 */
public final class BadLineException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param origin the input's name
     * @param line   1-based line number in the input
     * @param detail what is wrong with it
     */
    public BadLineException(String origin, long line, String detail) {
        super(origin + ":" + line + ": " + detail);
    }

    /**
     * The first BadLineException in {@code e}'s causes, or null. Spark wraps a task's exception in its own
     * ({@code SparkException}) on the driver.
     */
    public static BadLineException in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BadLineException b) {
                return b;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
