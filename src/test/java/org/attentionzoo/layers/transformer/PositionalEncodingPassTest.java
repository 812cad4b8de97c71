package org.attentionzoo.layers.transformer;

import org.attentionzoo.layers.GradientChecks;
import org.attentionzoo.layers.LayerRuntimes;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The hand-written {@link PositionalEncodingPass} computes what the layer's SameDiff definition computes through
 * DL4J's own SameDiff runtime: outputs and input gradients, in double, with a ragged mask, scaled and not, at two
 * lengths (a table per length).
 */
class PositionalEncodingPassTest {

    private static final int D = 6;

    @ParameterizedTest(name = "scaled {0}")
    @ValueSource(booleans = {true, false})
    void outputsAndGradientsEqualTheSameDiffRuntimes(boolean scaled) {
        PositionalEncoding conf = new PositionalEncoding.Builder().dModel(D).scale(scaled).build();
        ComputationGraph g = TransformerGraphs.layerAlone(conf, D);
        Layer ours = g.getLayer("layer");
        assertInstanceOf(PositionalEncodingPass.class, ours);
        Layer sameDiff = LayerRuntimes.wire(new org.deeplearning4j.nn.layers.samediff.SameDiffLayer(ours.conf(),
                DataType.DOUBLE), ours.conf().getLayer(), ours.conf(), null, 0, ours.params(), false);
        for (int t : new int[]{5, 9}) {
            INDArray x = TransformerGraphs.random(3, D, t);
            INDArray mask = GradientChecks.mask(t, t, 2, t - 1);
            INDArray dy = TransformerGraphs.random(3, D, t);
            INDArray[] expected = passes(sameDiff, x, mask, dy);
            INDArray[] actual = passes(ours, x, mask, dy);
            assertEquals(0, expected[0].sub(actual[0]).amaxNumber().doubleValue(), 1e-12, "output, T " + t);
            assertEquals(0, expected[1].sub(actual[1]).amaxNumber().doubleValue(), 1e-12, "input gradient, T " + t);
            assertEquals(0.0, actual[0].getDouble(1, 3, t - 1), 0.0, "masked step");
        }
    }

    /** {output, ∂L/∂x} of a training pass with upstream gradient dy. */
    private static INDArray[] passes(Layer layer, INDArray x, INDArray mask, INDArray dy) {
        LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(x, none);
        layer.setMaskArray(mask);
        INDArray y = layer.activate(true, none).dup();
        INDArray dx = layer.backpropGradient(dy.dup(), none).getSecond().dup();
        return new INDArray[]{y, dx};
    }
}
