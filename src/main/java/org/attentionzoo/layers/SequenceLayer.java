package org.attentionzoo.layers;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * Base of our SameDiff layers over sequences in DL4J's NCW layout ([mb, size, T] in and out, with the
 * same time steps): the input-type and shape checks with messages that say how to fix a mismatch, the
 * RNN preprocessor, and the time mask [mb, T] passed on unchanged.
 */
public abstract class SequenceLayer extends SameDiffLayer {

    protected SequenceLayer() {
    }

    protected SequenceLayer(SameDiffLayer.Builder<?> builder) {
        super(builder);
    }

    /** The layer as named in error messages, e.g. {@code GRU layer "encoder_0"}. */
    protected String who() {
        return getClass().getSimpleName() + " layer \"" + getLayerName() + "\"";
    }

    /**
     * The recurrent NCW input type, or an error that says how to fix it.
     *
     * @param who the layer or vertex input, for the message
     */
    public static InputType.InputTypeRecurrent recurrentNcw(String who, InputType inputType) {
        if (inputType == null || inputType.getType() != InputType.Type.RNN) {
            throw new IllegalStateException(who + " needs a recurrent input (InputType.recurrent(size)) of shape"
                    + " [mb, size, T]; got " + inputType);
        }
        InputType.InputTypeRecurrent r = (InputType.InputTypeRecurrent) inputType;
        if (r.getFormat() != RNNFormat.NCW) {
            throw new IllegalStateException(who + " reads [mb, size, T] (RNNFormat.NCW) but the layer below produces "
                    + r.getFormat() + ": configure that layer with dataFormat(RNNFormat.NCW)");
        }
        return r;
    }

    protected InputType.InputTypeRecurrent recurrentNcw(InputType inputType) {
        return recurrentNcw(who(), inputType);
    }

    /** Checks that an input array is [mb, size, T]. */
    protected void checkShape(INDArray input, long size, String sizeName) {
        if (input.rank() != 3 || input.size(1) != size) {
            throw new IllegalArgumentException(who() + " expects input [mb, " + sizeName + "=" + size + ", T]; got shape "
                    + Arrays.toString(input.shape()));
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreprocessorForInputTypeRnnLayers(inputType, RNNFormat.NCW, getLayerName());
    }

    /** Passes the time mask [mb, T] on unchanged: the output has the same time steps as the input. */
    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                          int minibatchSize) {
        return new Pair<>(maskArray, currentMaskState);
    }
}
