package org.attentionzoo.layers.attention;

import org.attentionzoo.layers.GradientChecks;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KeptLuongAttention}'s hand-computed training step equals the SameDiff graph's: the output of a training
 * forward pass, the parameter gradients and both input gradients, in double, with and without padding on both
 * sides, for every score and span (global, local-m, local-p with a window of 1, so that windows clip), at sizes where the decoder, encoder, attention and output sizes differ. The gradient checks
 * through whole graphs are {@link LuongAttentionGradientCheckTest}'s, which run this path too.
 */
class KeptLuongAttentionTest {

    private static final int MB = 3, T_TGT = 4, T_SRC = 5;

    @ParameterizedTest(name = "{0}, decoder {1}, encoder {2}, masked={3}, {4}")
    @CsvSource({"dot,4,4,false,global", "dot,4,4,true,global", "general,4,6,false,global", "general,3,5,true,global",
            "concat,4,6,false,global", "concat,3,5,true,global", "additive,4,4,true,global",
            "general,3,5,true,local-m", "dot,4,4,false,local-m", "general,3,5,true,local-p", "concat,4,6,true,local-p",
            "dot,4,4,false,local-p"})
    void trainingStepEqualsTheSameDiffGraph(String score, int dDec, int dEnc, boolean masked, String span) {
        Nd4j.getRandom().setSeed(5);
        LuongAttention conf = new LuongAttention.Builder().decoderSize(dDec).encoderSize(dEnc).outputSize(7)
                .attentionSize(2).score(ScoreType.parse(score)).span(AttentionSpan.parse(span)).window(1).build();
        ComputationGraph net = AttentionGraphs.alone(conf, dDec, dEnc);
        net.params().assign(Nd4j.randn(DataType.DOUBLE, net.params().shape()));
        net.initGradientsView();                                            // as fit does before a first backward pass
        GraphVertex vertex = net.getVertex("att");
        assertInstanceOf(KeptLuongAttention.class, vertex);
        INDArray decoder = Nd4j.randn(DataType.DOUBLE, MB, dDec, T_TGT);
        INDArray encoder = Nd4j.randn(DataType.DOUBLE, MB, dEnc, T_SRC);
        INDArray[] masks = masked ? new INDArray[]{GradientChecks.mask(T_TGT, 4, 2, 3), GradientChecks.mask(T_SRC, 5, 3, 1)}
                : null;
        INDArray epsilon = Nd4j.randn(DataType.DOUBLE, MB, 7, T_TGT);

        Step kept = step(vertex, decoder, encoder, masks, epsilon, true);        // the kept training pass
        Step graph = step(vertex, decoder, encoder, masks, epsilon, false);      // no kept pass: SameDiff both ways
        assertClose(graph.output, kept.output, "output");
        assertClose(graph.dDecoder, kept.dDecoder, "dL/d decoder states");
        assertClose(graph.dEncoder, kept.dEncoder, "dL/d encoder states");
        assertEquals(graph.gradients.keySet(), kept.gradients.keySet());
        graph.gradients.forEach((name, g) -> assertClose(g, kept.gradients.get(name), "dL/d" + name));
        assertTrue(kept.dEncoder.amaxNumber().doubleValue() > 1e-3, "a gradient reaches the encoder");
    }

    private record Step(INDArray output, INDArray dDecoder, INDArray dEncoder, Map<String, INDArray> gradients) {
    }

    private static Step step(GraphVertex vertex, INDArray decoder, INDArray encoder, INDArray[] masks, INDArray epsilon,
                             boolean training) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        vertex.setInputs(decoder, encoder);
        vertex.feedForwardMaskArrays(masks, MaskState.Active, MB);
        INDArray output = vertex.doForward(training, mgr).dup();
        vertex.setEpsilon(epsilon);
        Pair<Gradient, INDArray[]> back = vertex.doBackward(false, mgr);
        Map<String, INDArray> gradients = new HashMap<>();
        back.getFirst().gradientForVariable().forEach((name, g) -> gradients.put(name, g.dup()));
        return new Step(output, back.getSecond()[0].dup(), back.getSecond()[1].dup(), gradients);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what);
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff < 1e-10, what + ": max |difference| " + diff);
    }
}
