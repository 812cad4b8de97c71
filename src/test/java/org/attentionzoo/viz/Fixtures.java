package org.attentionzoo.viz;

import java.util.ArrayList;
import java.util.List;

/** Alignments shared by the viz tests. */
final class Fixtures {

    private Fixtures() {
    }

    /** An n x n alignment with source tokens s0.. and target tokens t0.. and weight 1 on the diagonal. */
    static Alignment diagonal(int n) {
        List<String> source = new ArrayList<>();
        List<String> target = new ArrayList<>();
        double[][] weights = new double[n][n];
        for (int i = 0; i < n; i++) {
            source.add("s" + i);
            target.add("t" + i);
            weights[i][i] = 1.0;
        }
        return new Alignment(source, target, weights);
    }
}
