package org.attentionzoo.decode;

import org.attentionzoo.decode.step.StepModel;
import org.attentionzoo.data.Vocabulary;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A hand-made {@link StepModel}, independent of DL4J: the next-token distribution is a fixed function
 * of (source, prefix) given by the test, either a written table or a seeded pseudo-random one. It counts
 * the calls and rows it answers and checks the StepModel contract: every prefix starts with BOS and
 * extends by one token a prefix asked before for the same sentence.
 */
final class TableStepModel implements StepModel {

    /** Vocabulary size of the pseudo-random tables: PAD, BOS, EOS, UNK and two words. */
    static final int V = 6;

    private final BiFunction<int[], int[], double[]> probabilities;
    int calls;
    int rows;
    int longestPrefix;

    /** @param probabilities (source, prefix with BOS) → next-token probabilities, summing to 1 */
    TableStepModel(BiFunction<int[], int[], double[]> probabilities) {
        this.probabilities = probabilities;
    }

    /**
     * A seeded pseudo-random table over {@link #V} tokens: Gaussian logits, EOS pushed up by 0.7 per
     * generated token, so that hypotheses of many lengths compete.
     */
    static TableStepModel random(long seed) {
        return new TableStepModel((source, prefix) -> {
            long h = seed;
            for (int x : source) {
                h = h * 1_000_003 + x;
            }
            for (int y : prefix) {
                h = h * 7_919 + y + 11;
            }
            java.util.Random r = new java.util.Random(h);
            double[] logits = new double[V];
            for (int j = 0; j < V; j++) {
                logits[j] = 1.5 * r.nextGaussian();
            }
            logits[Vocabulary.EOS_ID] += 0.7 * (prefix.length - 1) - 0.5;
            return softmax(logits);
        });
    }

    /** An explicit table: prefix (ids after BOS, space-separated) → probabilities; missing prefixes give {@code rest}. */
    static TableStepModel table(java.util.Map<String, double[]> table, double[] rest) {
        return new TableStepModel((source, prefix) -> {
            StringBuilder key = new StringBuilder();
            for (int i = 1; i < prefix.length; i++) {
                key.append(i > 1 ? " " : "").append(prefix[i]);
            }
            return table.getOrDefault(key.toString(), rest);
        });
    }

    static double[] softmax(double[] logits) {
        double max = Arrays.stream(logits).max().orElseThrow();
        double[] p = new double[logits.length];
        double sum = 0;
        for (int j = 0; j < p.length; j++) {
            p[j] = Math.exp(logits[j] - max);
            sum += p[j];
        }
        for (int j = 0; j < p.length; j++) {
            p[j] /= sum;
        }
        return p;
    }

    /** log p(y | prefix, source) for every y. */
    double[] logProbs(int[] source, int[] prefix) {
        double[] p = probabilities.apply(source, prefix);
        double[] out = new double[p.length];
        for (int j = 0; j < p.length; j++) {
            out[j] = Math.log(p[j]);
        }
        return out;
    }

    @Override
    public Session start(int[][] sources) {
        List<Set<List<Integer>>> asked = new java.util.ArrayList<>();
        for (int i = 0; i < sources.length; i++) {
            asked.add(new HashSet<>());
        }
        return (sentences, prefixes) -> {
            calls++;
            rows += sentences.length;
            double[][] out = new double[sentences.length][];
            for (int i = 0; i < sentences.length; i++) {
                int[] prefix = prefixes[i];
                if (prefix.length == 0 || prefix[0] != Vocabulary.BOS_ID) {
                    throw new AssertionError("prefix without BOS: " + Arrays.toString(prefix));
                }
                List<Integer> key = Arrays.stream(prefix).boxed().toList();
                if (prefix.length > 1 && !asked.get(sentences[i]).contains(key.subList(0, key.size() - 1))) {
                    throw new AssertionError("prefix " + key + " does not extend one asked before");
                }
                asked.get(sentences[i]).add(key);
                longestPrefix = Math.max(longestPrefix, prefix.length);
                out[i] = logProbs(sources[sentences[i]], prefix);
            }
            return out;
        };
    }
}
