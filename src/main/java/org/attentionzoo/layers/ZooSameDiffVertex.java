package org.attentionzoo.layers;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * Base class of our SameDiff vertices: runs them on {@link FixedSameDiffGraphVertex}, which passes the
 * right gradient to the layers below (DL4J M2.1's own runtime does so only on the first backward pass).
 * Subclasses still end {@code defineVertex} with {@link GradientFix#halveGradient}. Each reads a decoder-side
 * sequence (input 0) and the encoder states (input 1) and outputs one vector per decoder step, so the decoder's
 * mask is the output's. No fields: the subclasses' JSON is theirs alone.
 */
public abstract class ZooSameDiffVertex extends SameDiffVertex {

    @Override
    public GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
                                   boolean initializeParams, DataType networkDatatype) {
        setName(name);
        return new FixedSameDiffGraphVertex(this, graph, name, idx, paramsView, initializeParams, networkDatatype);
    }

    /** The output has the decoder's time steps (input 0), so the decoder's mask is passed on. */
    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        return new Pair<>(maskArrays == null ? null : maskArrays[0], currentMaskState);
    }

    /**
     * Checks the two inputs: recurrent NCW [mb, size, T], the decoder side first with size {@code decoderSize},
     * the encoder states second with size {@code encoderSize}; an error says how to fix the graph.
     *
     * @param who   the vertex, for the messages
     * @param names the two inputs as the messages name them, e.g. "decoder states", "encoder states"
     * @param hint  appended to a size mismatch, e.g. how to set the sizes on the builder ("" for none)
     * @return the decoder side's type, whose time steps the output has
     */
    protected static InputType.InputTypeRecurrent decoderAndEncoder(String who, InputType[] inputs, String[] names,
                                                                    long decoderSize, long encoderSize, String hint) {
        if (inputs.length != 2 || inputs[0].getType() != InputType.Type.RNN || inputs[1].getType() != InputType.Type.RNN) {
            throw new IllegalStateException(who + " takes two recurrent inputs (" + names[0] + ", " + names[1]
                    + "), in that order; got " + Arrays.toString(inputs));
        }
        InputType.InputTypeRecurrent dec = SequenceLayer.recurrentNcw(who + " (" + names[0] + ")", inputs[0]);
        InputType.InputTypeRecurrent enc = SequenceLayer.recurrentNcw(who + " (" + names[1] + ")", inputs[1]);
        if (dec.getSize() != decoderSize || enc.getSize() != encoderSize) {
            throw new IllegalStateException(who + " was configured for " + names[0] + " of size " + decoderSize
                    + " and " + names[1] + " of size " + encoderSize + " but gets " + dec.getSize() + " and "
                    + enc.getSize() + hint);
        }
        return dec;
    }
}
