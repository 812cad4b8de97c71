package org.attentionzoo.eval;

import java.util.List;

/** Exact match: the fraction of hypotheses identical to their reference, as a percentage. */
public final class ExactMatch {

    private ExactMatch() {
    }

    /**
     * @return 100 · |{i : hyp_i = ref_i}| / n
     * @throws IllegalArgumentException if the lists differ in length or are empty
     */
    public static double percent(List<String> hypotheses, List<String> references) {
        if (hypotheses.size() != references.size() || references.isEmpty()) {
            throw new IllegalArgumentException("need as many hypotheses as references (and at least one); got "
                    + hypotheses.size() + " and " + references.size());
        }
        int same = 0;
        for (int i = 0; i < references.size(); i++) {
            if (hypotheses.get(i).equals(references.get(i))) {
                same++;
            }
        }
        return 100.0 * same / references.size();
    }
}
