package org.attentionzoo.layers.attention;

import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * General (bilinear) score (Luong et al. 2015, eq. 8, "general"):
 * <pre>
 *   score(h_t, h̄_s) = h_tᵀ W_a h̄_s          W_a: [dQ, dK]
 * </pre>
 * W_a h̄_s is computed once per source ({@link #prepareKeys}), then each query is a dot product.
 */
public final class GeneralScore implements AttentionScore {

    /** W_a, [dQ, dK]. */
    public static final String W_A = "Wa";

    private final long queryDim;
    private final long keyDim;

    public GeneralScore(long queryDim, long keyDim) {
        this.queryDim = queryDim;
        this.keyDim = keyDim;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.addWeightParam(W_A, queryDim, keyDim);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        Init.xavier(params.get(W_A), queryDim, keyDim);
    }

    @Override
    public SDVariable prepareKeys(SameDiff sd, SDVariable keys, Map<String, SDVariable> params) {
        return Projections.apply(sd, keys, params.get(W_A), true, keyDim);             // (W_a h̄_s)ᵀ: [mb, tK, dQ]
    }

    @Override
    public SDVariable scores(SameDiff sd, SDVariable queries, SDVariable projectedKeys, Map<String, SDVariable> params) {
        return sd.mmul(queries, projectedKeys, false, true, false);                  // [mb, tQ, tK]
    }

    @Override
    public INDArray prepareKeys(INDArray keys, Map<String, INDArray> params) {
        return Projections.apply(keys, params.get(W_A), true);                      // (W_a h̄_s)ᵀ: [mb, tK, dQ]
    }

    @Override
    public INDArray scores(INDArray queries, INDArray projectedKeys, Map<String, INDArray> params) {
        return Nd4j.matmul(queries, projectedKeys, false, true, false);             // [mb, tQ, tK]
    }

    /** The bilinear training pass with W_a = W_a ({@link BilinearTraining}). */
    @Override
    public Training training(INDArray queries, INDArray keys, Map<String, INDArray> params) {
        return new BilinearTraining(queries, keys, params.get(W_A));
    }

    /** e_s = q · (W_a h̄_s), the query as it is. */
    @Override
    public QueryStep queryStep(Map<String, INDArray> params) {
        return QueryStep.dot((int) queryDim);
    }

    @Override
    public String toString() {
        return "general(" + queryDim + " x " + keyDim + ")";
    }
}
