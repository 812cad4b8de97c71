package org.attentionzoo.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Base of tasks on random sequences of symbols, where the target is a function of the source.
 *
 * <p>The symbols are the numbers {@code 1..symbolCount} written as tokens ("1", "2", ...), and a
 * sequence has a uniformly random length in {@code [minLength, maxLength]} with uniformly random
 * symbols. Sources and targets are the tokens joined by single spaces; both sides use the
 * {@code "words"} tokenizer.
 */
public abstract class SymbolSequenceTask implements Task {

    /** Default number of symbols. */
    public static final int DEFAULT_SYMBOLS = 20;
    /** Default shortest sequence. */
    public static final int DEFAULT_MIN_LENGTH = 3;
    /** Default longest sequence. */
    public static final int DEFAULT_MAX_LENGTH = 10;

    private final int symbolCount;
    private final int minLength;
    private final int maxLength;

    /**
     * @param symbolCount number of distinct symbols (at least 1)
     * @param minLength   shortest sequence (at least 1)
     * @param maxLength   longest sequence (at least minLength)
     */
    protected SymbolSequenceTask(int symbolCount, int minLength, int maxLength) {
        if (symbolCount < 1 || minLength < 1 || maxLength < minLength) {
            throw new IllegalArgumentException("need symbolCount >= 1 and 1 <= minLength <= maxLength, got "
                    + symbolCount + ", " + minLength + ", " + maxLength);
        }
        this.symbolCount = symbolCount;
        this.minLength = minLength;
        this.maxLength = maxLength;
    }

    /** The target tokens for the given source tokens. */
    protected abstract List<String> targetOf(List<String> source);

    @Override
    public List<SentencePair> generate(int count, long seed) {
        Random random = new Random(seed);
        List<SentencePair> pairs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = minLength + random.nextInt(maxLength - minLength + 1);
            List<String> source = new ArrayList<>(length);
            for (int t = 0; t < length; t++) {
                source.add(Integer.toString(1 + random.nextInt(symbolCount)));
            }
            pairs.add(new SentencePair(String.join(" ", source), String.join(" ", targetOf(source)),
                    name() + "#" + (i + 1)));
        }
        return pairs;
    }

    @Override
    public Tokenizer targetTokenizer() {
        return new WordTokenizer();
    }

    /** Number of distinct symbols. */
    public int symbolCount() {
        return symbolCount;
    }

    /** Shortest sequence length. */
    public int minLength() {
        return minLength;
    }

    /** Longest sequence length. */
    public int maxLength() {
        return maxLength;
    }
}
