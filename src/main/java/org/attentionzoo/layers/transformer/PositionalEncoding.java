package org.attentionzoo.layers.transformer;

import org.attentionzoo.layers.SequenceLayer;
import org.attentionzoo.layers.GradientFix;
import org.attentionzoo.layers.LayerRuntimes;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * Positional encoding (Vaswani et al. 2017, section 3.5), a SameDiff layer that adds position information to
 * the (embedded) input, which is first scaled by √d_model (section 3.4: "we multiply those weights by √d_model"):
 * <pre>
 *   y[:, pos] = m_pos (√d_model · x[:, pos] + PE[pos, :])          (scaling optional: scale(false) gives x + PE)
 *   sinusoidal (default):  PE(pos, 2i)   = sin(pos / 10000^(2i / d_model))
 *                          PE(pos, 2i+1) = cos(pos / 10000^(2i / d_model))
 *   learned (option):      PE = the parameter {@value #POSITIONS} [maxLength, d_model], row pos for position pos
 * </pre>
 * Positions count from 0 at the first time step. Input and output [mb, d_model, T] (NCW); m is the time mask:
 * masked steps output exactly 0, and the mask is passed on. Sinusoidal encoding takes any length and has no
 * parameters; learned positions take T ≤ maxLength and start N(0, 1/d_model) (a longer input is refused with
 * a clear error).
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class PositionalEncoding extends SequenceLayer {

    /** Learned position table [maxLength, d_model]. */
    public static final String POSITIONS = "P";

    private long dModel;
    private boolean learned;
    private long maxLength;
    private boolean scale;

    /** For Jackson only. */
    private PositionalEncoding() {
    }

    private PositionalEncoding(Builder b) {
        super(b);
        this.dModel = b.dModel;
        this.learned = b.learned;
        this.maxLength = b.maxLength;
        this.scale = b.scale;
    }

    public long getDModel() { return dModel; }
    public boolean isLearned() { return learned; }
    /** @return the longest sequence learned positions take (0 for sinusoidal) */
    public long getMaxLength() { return maxLength; }
    public boolean isScaled() { return scale; }

    /** The sinusoidal table PE [length, d_model] as Java arrays ({@link #sinusoids} in double), for tests and plots. */
    public static double[][] sinusoidTable(int length, int dModel) {
        return sinusoids(dModel, length, DataType.DOUBLE).transpose().toDoubleMatrix();
    }

    /**
     * The sinusoidal table PE [d_model, length] in {@code type}, computed exactly as {@link #defineLayer} computes it:
     * the inverse frequencies in double, cast to the type, times the position, then sin (even features) or cos (odd
     * ones). The hand-written runtime ({@link PositionalEncodingPass}) and the decoding steps read it.
     */
    public static INDArray sinusoids(long dModel, int length, DataType type) {
        double[] inverseFrequency = new double[(int) dModel];
        double[] positions = new double[length];
        for (int j = 0; j < dModel; j++) {
            inverseFrequency[j] = 1.0 / Math.pow(10000.0, (double) (2 * (j / 2)) / dModel);
        }
        for (int pos = 0; pos < length; pos++) {
            positions[pos] = pos;
        }
        INDArray angle = Nd4j.zeros(type, dModel, length)
                .addiRowVector(Nd4j.createFromArray(positions).castTo(type).reshape(1, length))
                .muliColumnVector(Nd4j.createFromArray(inverseFrequency).castTo(type).reshape(dModel, 1));
        INDArray sin = Transforms.sin(angle, true);
        INDArray cos = Transforms.cos(angle, true);
        for (int j = 1; j < dModel; j += 2) {
            sin.putRow(j, cos.getRow(j));
        }
        return sin;
    }

    /**
     * The hand-written runtime ({@link PositionalEncodingPass}) for sinusoidal positions, DL4J's SameDiff runtime for
     * learned ones (their table has a gradient).
     */
    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        if (learned) {
            return super.instantiate(conf, listeners, layerIndex, paramsView, initializeParams, networkDataType);
        }
        return LayerRuntimes.wire(new PositionalEncodingPass(conf, networkDataType), this, conf, null, layerIndex,
                paramsView, initializeParams);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        TransformerTypes.recurrentNcw(who(), inputType, dModel);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeRecurrent r = TransformerTypes.recurrentNcw(who(), inputType, dModel);
        return InputType.recurrent(dModel, r.getTimeSeriesLength(), RNNFormat.NCW);
    }

    @Override
    public void validateInput(INDArray input) {
        checkShape(input, dModel, "d_model");
        if (learned && input.size(2) > maxLength) {
            throw new IllegalArgumentException(who() + " has learned positions for sequences of at most maxLength="
                    + maxLength + " steps but got one of " + input.size(2) + " steps; build it with a larger "
                    + ".learned(maxLength), cut the sequences, or use sinusoidal positions (any length)");
        }
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        if (learned) {
            params.addWeightParam(POSITIONS, maxLength, dModel);
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        if (learned) {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                INDArray p = params.get(POSITIONS);
                p.assign(Nd4j.randn(p.dataType(), p.shape()).muli(1.0 / Math.sqrt(dModel)));
            }
        }
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        DataType type = input.dataType();
        SDVariable t = input.shape().get(SDIndex.interval(2, 3));                          // [1]: T
        SDVariable positions = sd.cumsum(sd.fill(t, type, 1.0), true, false, 0);         // [T]: 0, 1, ..., T-1
        SDVariable pe;                                                                   // [d_model, T]
        if (learned) {
            SDVariable rows = sd.gather(params.get(POSITIONS), positions.castTo(DataType.INT64), 0); // [T, d_model]
            pe = sd.permute(rows, 1, 0);
        } else {
            double[] inverseFrequency = new double[(int) dModel];
            double[] even = new double[(int) dModel];
            for (int j = 0; j < dModel; j++) {
                inverseFrequency[j] = 1.0 / Math.pow(10000.0, (double) (2 * (j / 2)) / dModel);
                even[j] = j % 2 == 0 ? 1 : 0;
            }
            SDVariable freq = sd.constant(Nd4j.createFromArray(inverseFrequency).reshape(dModel, 1)).castTo(type);
            SDVariable isEven = sd.constant(Nd4j.createFromArray(even).reshape(dModel, 1)).castTo(type);
            SDVariable angle = freq.mul(sd.expandDims(positions, 0));                   // [d_model, T]
            pe = sd.math().sin(angle).mul(isEven).add(sd.math().cos(angle).mul(isEven.rsub(1.0)));
        }
        SDVariable x = scale ? input.mul(Math.sqrt(dModel)) : input;
        SDVariable y = x.add(pe).mul(sd.expandDims(mask.castTo(type), 1));              // [mb, d_model, T]
        return GradientFix.halveGradient(sd, y);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PositionalEncoding other)) {
            return false;
        }
        // DL4J's equals compares the lazily built parameter table too, which a configuration read from JSON
        // has not built yet: build it on both sides (it is a function of the configuration).
        getLayerParams();
        other.getLayerParams();
        if (!super.equals(o)) {
            return false;
        }
        return dModel == other.dModel && learned == other.learned && maxLength == other.maxLength && scale == other.scale;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), dModel, learned, maxLength, scale);
    }

    @Override
    public String toString() {
        return "PositionalEncoding(name=" + getLayerName() + ", d_model=" + dModel + ", "
                + (learned ? "learned, maxLength=" + maxLength : "sinusoidal") + (scale ? ", x·√d_model" : "") + ")";
    }

    /**
     * {@code new PositionalEncoding.Builder().dModel(256).build()} (sinusoidal, input scaled by √d_model), or
     * {@code .learned(100)} for a learned table of 100 positions, {@code .scale(false)} to add PE to x unscaled.
     */
    public static class Builder extends SameDiffLayer.Builder<Builder> {
        private long dModel;
        private boolean learned;
        private long maxLength;
        private boolean scale = true;

        /** d_model: input and output size. */
        public Builder dModel(long v) { dModel = v; return this; }
        /** Sinusoidal positions (the default; any length). */
        public Builder sinusoidal() { learned = false; maxLength = 0; return this; }
        /** Learned positions for sequences of up to {@code maxLength} steps. */
        public Builder learned(long maxLength) { learned = true; this.maxLength = maxLength; return this; }
        /** Whether the input is multiplied by √d_model before PE is added (default true, as the paper). */
        public Builder scale(boolean v) { scale = v; return this; }

        @Override
        @SuppressWarnings("unchecked")
        public PositionalEncoding build() {
            if (dModel <= 0) {
                throw new IllegalArgumentException("PositionalEncoding: d_model must be positive, got " + dModel
                        + "; call .dModel(n)");
            }
            if (learned && maxLength <= 0) {
                throw new IllegalArgumentException("PositionalEncoding: learned positions need maxLength > 0 (the "
                        + "longest sequence the layer will see), got " + maxLength + "; call .learned(maxLength)");
            }
            if (iDropout != null) {
                throw new IllegalArgumentException("PositionalEncoding: DL4J's SameDiff layers ignore dropOut(...); "
                        + "put a DropoutLayer after this layer instead");
            }
            return new PositionalEncoding(this);
        }
    }
}
