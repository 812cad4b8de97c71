package org.attentionzoo.layers.attention;

import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Global alignment (Luong et al. 2015, eq. 7): a_ts = softmax over the real source positions of e_ts
 * ({@link MaskedSoftmax}); backward dE = A ⊙ (dA − Σ_s dA ⊙ A). No parameters.
 */
final class GlobalAlignment implements Alignment {

    static final GlobalAlignment INSTANCE = new GlobalAlignment();

    private GlobalAlignment() {
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        // none
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        // none
    }

    @Override
    public SDVariable weights(SameDiff sd, SDVariable scores, SDVariable queries, SDVariable sourceMask,
                              Map<String, SDVariable> params) {
        return MaskedSoftmax.apply(sd, scores, sourceMask);
    }

    @Override
    public Training training(INDArray scores, INDArray queries, INDArray sourceMask, Map<String, INDArray> params) {
        INDArray weights = MaskedSoftmax.apply(scores, sourceMask);
        return Training.of(weights, (dWeights, dQ, grads) -> MaskedSoftmax.backward(weights, dWeights));
    }

    @Override
    public Step step(INDArray queries, INDArray positions, INDArray sourceMask, Map<String, INDArray> params) {
        return new Step(sourceMask, null);
    }

    @Override
    public String toString() {
        return "global";
    }
}
