package org.attentionzoo.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Generated task whose target is the source reversed (name {@code "reverse"}); see {@link SymbolSequenceTask}. */
public final class ReverseTask extends SymbolSequenceTask {

    /** 20 symbols, lengths 3 to 10. */
    public ReverseTask() {
        this(DEFAULT_SYMBOLS, DEFAULT_MIN_LENGTH, DEFAULT_MAX_LENGTH);
    }

    /** Symbols "1".."symbolCount", lengths minLength to maxLength. */
    public ReverseTask(int symbolCount, int minLength, int maxLength) {
        super(symbolCount, minLength, maxLength);
    }

    @Override
    protected List<String> targetOf(List<String> source) {
        List<String> reversed = new ArrayList<>(source);
        Collections.reverse(reversed);
        return reversed;
    }

    @Override
    public String name() {
        return "reverse";
    }
}
