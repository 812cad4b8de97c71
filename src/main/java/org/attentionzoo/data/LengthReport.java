package org.attentionzoo.data;

/**
 * How many sentence pairs a {@link TeacherForcingIterator} kept and why it skipped the others.
 *
 * @param totalPairs pairs given to the iterator
 * @param keptPairs  pairs it iterates over
 * @param tooLong    pairs skipped because the source, or the target counted with EOS, had more
 *                   than {@code maxLength} tokens (never truncated)
 * @param empty      pairs skipped because the source or target had no token after tokenisation
 * @param maxLength  the length limit in tokens
 */
public record LengthReport(int totalPairs, int keptPairs, int tooLong, int empty, int maxLength) {

    /**
     * One line for logs, such as
     * {@code "kept 9812 of 10000 pairs; 188 longer than 50 tokens skipped"}; the count of empty
     * pairs is appended only when there are some.
     */
    public String line() {
        String s = "kept " + keptPairs + " of " + totalPairs + " pairs; " + tooLong + " longer than "
                + maxLength + " tokens skipped";
        return empty > 0 ? s + "; " + empty + " empty after tokenisation skipped" : s;
    }

    @Override
    public String toString() {
        return line();
    }
}
