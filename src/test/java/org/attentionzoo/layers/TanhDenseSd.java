package org.attentionzoo.layers;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;

import java.util.Map;

/**
 * Test-only SameDiff layer {@code y = tanh(x W + b)} (x: [mb, nIn]), optionally ending with
 * {@link GradientFix#halveGradient}: the smallest layer that shows the doubled-gradient bug.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
public class TanhDenseSd extends SameDiffLayer {

    private long nIn;
    private long nOut;
    private boolean applyFix;

    private TanhDenseSd() {
    }

    public TanhDenseSd(long nIn, long nOut, boolean applyFix) {
        this.nIn = nIn;
        this.nOut = nOut;
        this.applyFix = applyFix;
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable x, Map<String, SDVariable> p, SDVariable mask) {
        SDVariable y = sd.math().tanh(x.mmul(p.get("W")).add(p.get("b")));
        return applyFix ? GradientFix.halveGradient(sd, y) : y;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        params.addWeightParam("W", nIn, nOut);
        params.addBiasParam("b", 1, nOut);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        // Deterministic, non-trivial values so that the gradient check has something to see.
        INDArray w = params.get("W");
        for (long i = 0; i < w.length(); i++) {
            w.putScalar(i, -0.8 + 1.7 * i / (w.length() - 1));
        }
        params.get("b").assign(0.1);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(nOut);
    }
}
