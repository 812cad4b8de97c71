package org.attentionzoo.decode.incremental;

import org.attentionzoo.decode.BeamSearch;
import org.attentionzoo.decode.GraphStepModel;
import org.attentionzoo.decode.GreedyDecoder;
import org.attentionzoo.decode.Hypothesis;
import org.attentionzoo.decode.LengthLimit;
import org.attentionzoo.decode.StepModel;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.Zoo;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Not a test: an informal timing of greedy decoding and beam search with {@link GraphStepModel} (the whole
 * graph on every prefix) against {@link IncrementalStepModel} + {@link LuongAttentionSteps}, on a randomly
 * initialised luong-general model (embedding and hidden 256, BiLSTM encoder), vocabularies of 8000, 32
 * sources of 10-20 tokens, length limit |x| + 5. Prints both times and whether the outputs are identical.
 * Run with the test classpath: {@code java -cp ... org.attentionzoo.decode.incremental.IncrementalDecodingTiming}.
 */
public final class IncrementalDecodingTiming {

    public static void main(String[] args) throws Exception {
        ModelCard card = Zoo.card("luong-general");
        int vocab = 8000;
        ComputationGraph graph = Zoo.init(card, vocab, vocab);
        Random random = new Random(1);
        int[][] sources = new int[32][];
        for (int i = 0; i < sources.length; i++) {
            sources[i] = random.ints(10 + random.nextInt(11), 4, vocab).toArray();
        }
        LengthLimit limit = new LengthLimit(1.0, 5);
        StepModel whole = new GraphStepModel(graph);
        StepModel incremental = new IncrementalStepModel(new LuongAttentionSteps(card, graph));
        int[][] warmUp = Arrays.copyOf(sources, 2);
        new GreedyDecoder(whole, new LengthLimit(0, 3)).decode(warmUp);
        new GreedyDecoder(incremental, new LengthLimit(0, 3)).decode(warmUp);
        int[][] eight = Arrays.copyOf(sources, 8);
        for (int rep = 0; rep < 2; rep++) {
            long t0 = System.nanoTime();
            int[][] a = new GreedyDecoder(whole, limit).decode(sources);
            long t1 = System.nanoTime();
            int[][] b = new GreedyDecoder(incremental, limit).decode(sources);
            long t2 = System.nanoTime();
            System.out.printf("greedy, batch 32, %d output tokens: GraphStepModel %.2f s, incremental %.2f s, same outputs %b%n",
                    Arrays.stream(a).mapToInt(x -> x.length).sum(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, Arrays.deepEquals(a, b));
            List<List<Hypothesis>> beamA = new BeamSearch(whole, 3, 1, 0.6, limit).search(eight);
            long t3 = System.nanoTime();
            List<List<Hypothesis>> beamB = new BeamSearch(incremental, 3, 1, 0.6, limit).search(eight);
            long t4 = System.nanoTime();
            boolean same = true;
            for (int i = 0; i < eight.length; i++) {
                same &= Arrays.equals(beamA.get(i).get(0).tokens(), beamB.get(i).get(0).tokens());
            }
            System.out.printf("beam 3, 8 sources: GraphStepModel %.2f s, incremental %.2f s, same best hypotheses %b%n",
                    (t3 - t2) / 1e9, (t4 - t3) / 1e9, same);
        }
    }
}
