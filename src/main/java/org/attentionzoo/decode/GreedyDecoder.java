package org.attentionzoo.decode;

import org.attentionzoo.decode.step.TopTokens;
import org.attentionzoo.decode.step.StepModel;
import org.attentionzoo.data.Vocabulary;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy decoding: at every step take the most probable next token, y_t = argmax p(y | y_&lt;t, x),
 * until EOS or the length limit. Works for every model through its {@link StepModel}; ties go to the
 * lowest token id.
 *
 * <p>Each step asks the model once for all sentences still open. A sentence that reaches the length
 * limit without EOS keeps all its tokens. This is {@link BeamSearch} with beam size 1.
 */
public final class GreedyDecoder {

    private final StepModel model;
    private final LengthLimit limit;

    /** Greedy decoding of a zoo graph, run whole on each prefix ({@link GraphStepModel}). */
    public GreedyDecoder(ComputationGraph graph, LengthLimit limit) {
        this(new GraphStepModel(graph), limit);
    }

    public GreedyDecoder(StepModel model, LengthLimit limit) {
        this.model = model;
        this.limit = limit;
    }

    /**
     * Decodes a batch of source id sequences (none empty).
     *
     * @return per sentence the generated target ids, without BOS and without the final EOS
     */
    public int[][] decode(int[][] sources) {
        return run(sources, null, null);
    }

    /**
     * Decodes as {@link #decode} and scores each output as {@link BeamSearch} of beam size 1 would: log P(Y | x)
     * summed over its tokens and EOS, and that divided by {@link BeamSearch#lengthPenalty} of its decoding steps.
     * The outputs are {@link #decode}'s; the scores cost each step a log-sum-exp over the vocabulary.
     *
     * @param alpha α of the length penalty, finite and ≥ 0
     * @return per sentence its hypothesis
     */
    public Hypothesis[] decodeScored(int[][] sources, double alpha) {
        double[] logProbs = new double[sources.length];
        List<List<float[]>> attention = new ArrayList<>();
        int[][] outputs = run(sources, logProbs, attention);
        Hypothesis[] out = new Hypothesis[sources.length];
        for (int i = 0; i < out.length; i++) {
            boolean cut = outputs[i].length == limit.maxTargetLength(sources[i].length);
            int steps = cut ? outputs[i].length : outputs[i].length + 1;
            float[][] rows = attention.isEmpty() ? null : attention.get(i).toArray(new float[0][]);
            out[i] = new Hypothesis(outputs[i], logProbs[i], logProbs[i] / BeamSearch.lengthPenalty(steps, alpha), rows);
        }
        return out;
    }

    /**
     * Greedy decoding; when {@code logProbs} is not null, adds each step's log-probability to the sentence's entry,
     * and when {@code attention} is not null and the session reports attention, fills it with each sentence's rows.
     */
    private int[][] run(int[][] sources, double[] logProbs, List<List<float[]>> attention) {
        int mb = sources.length;
        if (mb == 0) {
            return new int[0][];
        }
        int maxSteps = 0;
        for (int[] s : sources) {
            maxSteps = Math.max(maxSteps, limit.maxTargetLength(s.length));
        }
        int[][] prefix = new int[mb][maxSteps + 1];
        for (int[] p : prefix) {
            p[0] = Vocabulary.BOS_ID;
        }
        int[] length = new int[mb];                                // generated tokens before EOS
        boolean[] done = new boolean[mb];
        int open = mb;
        try (StepModel.Session session = model.start(sources)) {
            for (int t = 1; t <= maxSteps && open > 0; t++) {
                int[] sentences = new int[open];
                int[][] prefixes = new int[open][];
                for (int i = 0, k = 0; i < mb; i++) {
                    if (!done[i]) {
                        sentences[k] = i;
                        prefixes[k++] = Arrays.copyOf(prefix[i], t);
                    }
                }
                int[] best;
                if (logProbs == null) {
                    best = session.bestTokens(sentences, prefixes);
                } else {
                    TopTokens[] top = session.topTokens(sentences, prefixes, 1);
                    best = new int[open];
                    for (int k = 0; k < open; k++) {
                        best[k] = top[k].tokens()[0];
                        logProbs[sentences[k]] += top[k].logProbs()[0];
                    }
                }
                float[][] weights = attention == null ? null : session.lastAttention();
                if (weights != null && t == 1) {
                    for (int i = 0; i < mb; i++) {
                        attention.add(new ArrayList<>());
                    }
                } else if (weights == null && attention != null) {
                    attention.clear();
                    attention = null;                                 // not reported: none at all
                }
                for (int k = 0; k < open; k++) {
                    int i = sentences[k];
                    int token = best[k];
                    if (weights != null) {
                        attention.get(i).add(weights[k]);
                    }
                    prefix[i][t] = token;
                    if (token == Vocabulary.EOS_ID || t == limit.maxTargetLength(sources[i].length)) {
                        done[i] = true;
                        length[i] = token == Vocabulary.EOS_ID ? t - 1 : t;
                    }
                }
                open = 0;
                for (boolean d : done) {
                    open += d ? 0 : 1;
                }
            }
        }
        int[][] out = new int[mb][];
        for (int i = 0; i < mb; i++) {
            out[i] = Arrays.copyOfRange(prefix[i], 1, 1 + length[i]);
        }
        return out;
    }
}
