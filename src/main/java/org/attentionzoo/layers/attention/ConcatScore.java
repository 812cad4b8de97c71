package org.attentionzoo.layers.attention;

import org.attentionzoo.util.SimdMath;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Concat score (Luong et al. 2015, eq. 8, "concat"):
 * <pre>
 *   score(h_t, h̄_s) = v_aᵀ tanh(W_a [h_t ; h̄_s])
 *                   = v_aᵀ tanh(W_q h_t + W_k h̄_s)      with W_a = [W_q | W_k]
 * </pre>
 * W_a: [dA, dQ + dK] is stored as its two blocks W_q [dQ, dA] and W_k [dK, dA] (transposed, as row
 * vectors are multiplied from the left here); v_a: [1, dA]. W_k h̄_s is computed once per source.
 * This is also the form of Bahdanau's additive score ({@link AdditiveScore}).
 */
public class ConcatScore implements AttentionScore {

    /** Query block of W_a, [dQ, dA]. */
    public static final String W_Q = "Wq";
    /** Key block of W_a, [dK, dA]. */
    public static final String W_K = "Wk";
    /** v_a as a row, [1, dA]. */
    public static final String V_A = "va";

    private final long queryDim;
    private final long keyDim;
    private final long attentionDim;

    public ConcatScore(long queryDim, long keyDim, long attentionDim) {
        this.queryDim = queryDim;
        this.keyDim = keyDim;
        this.attentionDim = attentionDim;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.addWeightParam(W_Q, queryDim, attentionDim);
        params.addWeightParam(W_K, keyDim, attentionDim);
        params.addWeightParam(V_A, 1, attentionDim);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        Init.xavier(params.get(W_Q), queryDim + keyDim, attentionDim);
        Init.xavier(params.get(W_K), queryDim + keyDim, attentionDim);
        Init.xavier(params.get(V_A), attentionDim, 1);
    }

    @Override
    public SDVariable prepareKeys(SameDiff sd, SDVariable keys, Map<String, SDVariable> params) {
        return Projections.apply(sd, keys, params.get(W_K), false, keyDim);          // W_k h̄_s: [mb, tK, dA]
    }

    @Override
    public SDVariable scores(SameDiff sd, SDVariable queries, SDVariable projectedKeys, Map<String, SDVariable> params) {
        SDVariable q = Projections.apply(sd, queries, params.get(W_Q), false, queryDim); // [mb, tQ, dA]
        SDVariable sum = sd.expandDims(q, 2).add(sd.expandDims(projectedKeys, 1));      // [mb, tQ, tK, dA]
        return sd.math().tanh(sum).mul(params.get(V_A)).sum(3);                           // [mb, tQ, tK]
    }

    @Override
    public INDArray prepareKeys(INDArray keys, Map<String, INDArray> params) {
        return Projections.apply(keys, params.get(W_K), false);                      // W_k h̄_s: [mb, tK, dA]
    }

    @Override
    public INDArray scores(INDArray queries, INDArray projectedKeys, Map<String, INDArray> params) {
        INDArray q = Projections.apply(queries, params.get(W_Q), false);             // [mb, tQ, dA]
        long mb = q.size(0);
        long tQ = q.size(1);
        long tK = projectedKeys.size(1);
        INDArray sum = q.reshape(mb, tQ, 1, attentionDim)
                .add(projectedKeys.reshape(mb, 1, tK, attentionDim));                // [mb, tQ, tK, dA]
        return SimdMath.tanhInPlace(sum).muli(params.get(V_A)).sum(3);               // [mb, tQ, tK]
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + queryDim + ", " + keyDim + " -> " + attentionDim + ")";
    }
}
