package org.attentionzoo.layers.attention;

import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * Dot score (Luong et al. 2015, eq. 8, "dot"):
 * <pre>
 *   score(h_t, h̄_s) = h_tᵀ h̄_s
 * </pre>
 * No parameters; needs the decoder and encoder states to have the same size.
 */
public final class DotScore implements AttentionScore {

    private final long size;

    /** @param size the common size of queries and keys */
    public DotScore(long size) {
        this.size = size;
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
    public SDVariable prepareKeys(SameDiff sd, SDVariable keys, Map<String, SDVariable> params) {
        return keys;                                                                  // [mb, tK, d]
    }

    @Override
    public SDVariable scores(SameDiff sd, SDVariable queries, SDVariable keys, Map<String, SDVariable> params) {
        return sd.mmul(queries, keys, false, true, false);                           // [mb, tQ, tK]
    }

    @Override
    public INDArray prepareKeys(INDArray keys, Map<String, INDArray> params) {
        return keys;
    }

    @Override
    public INDArray scores(INDArray queries, INDArray keys, Map<String, INDArray> params) {
        return Nd4j.matmul(queries, keys, false, true, false);                      // [mb, tQ, tK]
    }

    /** The bilinear training pass with W_a = I ({@link BilinearTraining}). */
    @Override
    public Training training(INDArray queries, INDArray keys, Map<String, INDArray> params) {
        return new BilinearTraining(queries, keys, null);
    }

    /** e_s = q · h̄_s, the query as it is. */
    @Override
    public QueryStep queryStep(Map<String, INDArray> params) {
        return QueryStep.dot((int) size);
    }

    @Override
    public String toString() {
        return "dot(" + size + ")";
    }
}
