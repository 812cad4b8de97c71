package org.attentionzoo.data;

import java.util.List;

/** Generated task whose target is the source itself (name {@code "copy"}); see {@link SymbolSequenceTask}. */
public final class CopyTask extends SymbolSequenceTask {

    /** 20 symbols, lengths 3 to 10. */
    public CopyTask() {
        this(DEFAULT_SYMBOLS, DEFAULT_MIN_LENGTH, DEFAULT_MAX_LENGTH);
    }

    /** Symbols "1".."symbolCount", lengths minLength to maxLength. */
    public CopyTask(int symbolCount, int minLength, int maxLength) {
        super(symbolCount, minLength, maxLength);
    }

    /**
     * The copy task of the Annotated Transformer: 10 symbols "1".."10", every sequence of length 10.
     * (There the start symbol is a data token; here BOS is added by {@link TeacherForcingIterator}.)
     */
    public static CopyTask annotatedTransformer() {
        return new CopyTask(10, 10, 10);
    }

    @Override
    protected List<String> targetOf(List<String> source) {
        return source;
    }

    @Override
    public String name() {
        return "copy";
    }
}
