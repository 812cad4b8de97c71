package org.attentionzoo.layers.transformer;

import org.attentionzoo.layers.SequenceLayer;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;

/** Input-type checks shared by the Transformer layers. */
final class TransformerTypes {

    private TransformerTypes() {
    }

    /** The recurrent NCW input type of size d_model, or a clear error. */
    static InputType.InputTypeRecurrent recurrentNcw(String who, InputType inputType, long dModel) {
        InputType.InputTypeRecurrent r = SequenceLayer.recurrentNcw(who, inputType);
        if (r.getSize() != dModel) {
            throw new IllegalStateException(who + " has d_model " + dModel + " but its input has size " + r.getSize());
        }
        return r;
    }
}
