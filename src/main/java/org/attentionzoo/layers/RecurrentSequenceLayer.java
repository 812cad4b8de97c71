package org.attentionzoo.layers;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitUtil;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

import java.util.List;

/**
 * Base of the recurrent SameDiff layers ({@link BiLSTM}, {@link GRU}): input size nIn (inferred from the input type
 * when left 0) and units nOut, the weights initialised per parameter with fan-in and fan-out nOut, and the builder
 * checks they share. Its two fields are the JSON properties {@code nIn} and {@code nOut} that both layers have
 * always written, so a saved configuration reads the same.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
public abstract class RecurrentSequenceLayer extends SequenceLayer {

    protected long nIn;
    protected long nOut;

    /** For Jackson only. */
    protected RecurrentSequenceLayer() {
    }

    protected RecurrentSequenceLayer(Builder<?> builder) {
        super(builder);
        this.nIn = builder.nIn;
        this.nOut = builder.nOut;
    }

    /** @return input size (0 until set by the builder or inferred from the input type) */
    @JsonIgnore
    public long getNIn() {
        return nIn;
    }

    /** @return units (per direction for a bidirectional layer) */
    @JsonIgnore
    public long getNOut() {
        return nOut;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        InputType.InputTypeRecurrent r = recurrentNcw(inputType);
        if (nIn <= 0 || override) {
            nIn = r.getSize();
            setLayerParams(null); // the parameter shapes, if already cached, depend on nIn
        }
    }

    @Override
    public void validateInput(INDArray input) {
        checkShape(input, nIn, "nIn");
    }

    /** Initialises the weight {@code view} of parameter {@code key}: its own weightInit if set, else the layer's. */
    protected void initWeight(INDArray view, String key, long fanIn) {
        IWeightInit custom = paramWeightInit == null ? null : paramWeightInit.get(key);
        if (custom != null) {
            custom.init(fanIn, nOut, view.shape(), 'c', view);
        } else {
            WeightInitUtil.initWeights(fanIn, nOut, view.shape(), weightInit, null, 'c', view);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecurrentSequenceLayer other && o.getClass() == getClass() && super.equals(o)
                && nIn == other.nIn && nOut == other.nOut;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(super.hashCode(), nIn, nOut);
    }

    /** Builder of nIn and nOut with the checks every recurrent layer makes before it is built. */
    public abstract static class Builder<B extends Builder<B>> extends SameDiffLayer.Builder<B> {

        protected long nIn;
        protected long nOut;

        /** @param nIn input size (features per time step); leave unset to infer it from the input type */
        @SuppressWarnings("unchecked")
        public B nIn(long nIn) {
            this.nIn = nIn;
            return (B) this;
        }

        /** @param nOut units (per direction for a bidirectional layer) */
        @SuppressWarnings("unchecked")
        public B nOut(long nOut) {
            this.nOut = nOut;
            return (B) this;
        }

        /**
         * Rejects a missing nOut, a negative nIn, an unusable weightInit, DL4J's dropout (SameDiff layers ignore it)
         * and a per-parameter weightInit for anything but {@code weights}.
         *
         * @param layer    the layer's name in the messages, e.g. "GRU"
         * @param nOutHint how to set nOut, e.g. "(hidden size) ... call .nOut(n) on GRU.Builder"
         * @param weights  the parameters that take a weightInit of their own
         * @param biasNote what the other parameters start at, for the message
         */
        protected void check(String layer, String nOutHint, List<String> weights, String biasNote) {
            if (nOut <= 0) {
                throw new IllegalArgumentException(layer + ": nOut " + nOutHint.replace("{}", Long.toString(nOut)));
            }
            if (nIn < 0) {
                throw new IllegalArgumentException(layer + ": nIn must be positive (or left unset to infer it from "
                        + "the input type), got " + nIn);
            }
            if (weightInit == null || weightInit == WeightInit.DISTRIBUTION) {
                throw new IllegalArgumentException(layer + ": weightInit " + weightInit + " is not usable here; "
                        + "choose e.g. .weightInit(WeightInit.XAVIER), or per parameter .weightInit(\""
                        + weights.get(0) + "\", new WeightInitDistribution(dist))");
            }
            if (iDropout != null) {
                throw new IllegalArgumentException(layer + ": DL4J's SameDiff layers ignore dropOut(...); put a "
                        + "DropoutLayer before this layer instead");
            }
            if (paramWeightInit != null) {
                for (String key : paramWeightInit.keySet()) {
                    if (!weights.contains(key)) {
                        throw new IllegalArgumentException(layer + ": weightInit given for parameter \"" + key
                                + "\"; only the weights " + String.join(", ", weights) + " take one (" + biasNote
                                + ")");
                    }
                }
            }
        }
    }
}
