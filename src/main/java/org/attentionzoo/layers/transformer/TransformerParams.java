package org.attentionzoo.layers.transformer;

import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/** Parameter declarations, initialisation and builder checks shared by the Transformer layers. */
final class TransformerParams {

    private TransformerParams() {
    }

    static void defineFeedForward(SDLayerParams params, String prefix, long dModel, long dFF) {
        params.addWeightParam(prefix + EncoderLayer.W1, dModel, dFF);
        params.addBiasParam(prefix + EncoderLayer.B1, 1, dFF);
        params.addWeightParam(prefix + EncoderLayer.W2, dFF, dModel);
        params.addBiasParam(prefix + EncoderLayer.B2, 1, dModel);
    }

    static void initFeedForward(Map<String, INDArray> params, String prefix, long dModel, long dFF) {
        Blocks.xavier(params.get(prefix + EncoderLayer.W1), dModel, dFF);
        Blocks.fill(params.get(prefix + EncoderLayer.B1), 0.0);
        Blocks.xavier(params.get(prefix + EncoderLayer.W2), dFF, dModel);
        Blocks.fill(params.get(prefix + EncoderLayer.B2), 0.0);
    }

    /** Gain {@code prefix + "g"} and bias {@code prefix + "b"}, both [1, d_model]. */
    static void defineLayerNorm(SDLayerParams params, String prefix, long dModel) {
        params.addWeightParam(prefix + "g", 1, dModel);
        params.addBiasParam(prefix + "b", 1, dModel);
    }

    static void initLayerNorm(Map<String, INDArray> params, String prefix) {
        Blocks.fill(params.get(prefix + "g"), 1.0);
        Blocks.fill(params.get(prefix + "b"), 0.0);
    }

    /** d_ff may be 0 (= default). */
    static void validate(String what, long dModel, long heads, long dFF) {
        if (dModel <= 0) {
            throw new IllegalArgumentException(what + ": d_model must be positive, got " + dModel + "; call .dModel(n)");
        }
        if (heads <= 0) {
            throw new IllegalArgumentException(what + ": the number of heads h must be positive, got " + heads
                    + "; call .heads(h)");
        }
        if (dModel % heads != 0) {
            throw new IllegalArgumentException(what + ": d_model (" + dModel + ") must be divisible by the number of "
                    + "heads h (" + heads + "), since d_k = d_model / h");
        }
        if (dFF < 0) {
            throw new IllegalArgumentException(what + ": d_ff must be positive (or unset for 4 d_model), got " + dFF);
        }
    }
}
