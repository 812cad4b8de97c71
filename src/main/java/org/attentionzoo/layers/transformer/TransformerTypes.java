package org.attentionzoo.layers.transformer;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;

/** Input-type checks shared by the Transformer layers. */
final class TransformerTypes {

    private TransformerTypes() {
    }

    /** The recurrent NCW input type of size d_model, or a clear error. */
    static InputType.InputTypeRecurrent recurrentNcw(String who, InputType inputType, long dModel) {
        if (inputType == null || inputType.getType() != InputType.Type.RNN) {
            throw new IllegalStateException(who + " needs a recurrent input [mb, d_model, T]; got " + inputType);
        }
        InputType.InputTypeRecurrent r = (InputType.InputTypeRecurrent) inputType;
        if (r.getFormat() != RNNFormat.NCW) {
            throw new IllegalStateException(who + " reads [mb, d_model, T] (RNNFormat.NCW) but the layer below produces "
                    + r.getFormat() + ": configure that layer with dataFormat(RNNFormat.NCW)");
        }
        if (r.getSize() != dModel) {
            throw new IllegalStateException(who + " has d_model " + dModel + " but its input has size " + r.getSize());
        }
        return r;
    }
}
