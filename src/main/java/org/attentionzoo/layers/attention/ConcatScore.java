package org.attentionzoo.layers.attention;

import org.attentionzoo.util.DirectBuffers;
import org.attentionzoo.util.DirectMatmul;
import org.attentionzoo.util.SimdMath;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;

import static org.attentionzoo.layers.KeptRows.mm;

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

    /**
     * E_ts = v_a · S_ts with S_ts = tanh(Q_t W_q + K_s W_k) [mb, tQ, tK, dA]; backward:
     * <pre>
     *   dS = dE v_a ⊙ (1 − S²)    dv_a = Σ dE ⊙ S    dQ += (Σ_s dS) W_qᵀ,  dW_q = Qᵀ Σ_s dS    dK += (Σ_t dS) W_kᵀ,  dW_k = Kᵀ Σ_t dS
     * </pre>
     */
    @Override
    public Training training(INDArray queries, INDArray keys, Map<String, INDArray> params) {
        return new ConcatTraining(queries, keys, params);
    }

    /** e_s = v_a · tanh(q W_q + W_k h̄_s): q W_q once per row, then a loop over dA per key. */
    @Override
    public QueryStep queryStep(Map<String, INDArray> params) {
        INDArray wq = params.get(W_Q);
        INDArray va = params.get(V_A);
        if (!DirectBuffers.contiguous(va) || va.dataType() != org.nd4j.linalg.api.buffer.DataType.FLOAT) {
            return null;
        }
        int da = (int) attentionDim;
        float[] v = new float[da];
        DirectBuffers.floats(va).get(0, v);
        return new QueryStep() {
            @Override
            public INDArray prepareQueries(INDArray q) {
                return DirectMatmul.mmul(q, wq);                                        // q W_q [rows, dA]
            }

            @Override
            public RowScore rowScore() {
                float[] h = new float[da];
                return (q, k, s) -> {
                    for (int j = 0, at = s * da; j < da; j++, at++) {
                        h[j] = q[j] + k[at];
                    }
                    SimdMath.tanhInPlace(h, 0, da);
                    double dot = 0;
                    for (int j = 0; j < da; j++) {
                        dot += v[j] * h[j];
                    }
                    return dot;
                };
            }
        };
    }

    /** The kept forward pass of {@link #training}. */
    private static final class ConcatTraining implements Training {
        private final INDArray qRows;  // [mb·tQ, dQ]
        private final INDArray kRows;  // [mb·tK, dK]
        private final INDArray wq;     // [dQ, dA]
        private final INDArray wk;     // [dK, dA]
        private final INDArray va;     // [1, dA]
        private final INDArray hidden; // S [mb, tQ, tK, dA]

        ConcatTraining(INDArray q, INDArray k, Map<String, INDArray> p) {
            long mb = q.size(0);
            long tQ = q.size(1);
            long tK = k.size(1);
            qRows = q.reshape('c', mb * tQ, q.size(2));
            kRows = k.reshape('c', mb * tK, k.size(2));
            wq = p.get(W_Q);
            wk = p.get(W_K);
            va = p.get(V_A);
            long dA = wq.size(1);
            INDArray qa = mm(qRows, wq, false, false).reshape('c', mb, tQ, 1, dA);
            INDArray ka = mm(kRows, wk, false, false).reshape('c', mb, 1, tK, dA);
            hidden = Transforms.tanh(qa.add(ka), false);                                       // [mb, tQ, tK, dA]
        }

        @Override
        public INDArray scores() {
            long dA = hidden.size(3);
            INDArray rows = hidden.reshape('c', hidden.length() / dA, dA);
            return mm(rows, va, false, true).reshape('c', hidden.size(0), hidden.size(1), hidden.size(2));
        }

        @Override
        public void backward(INDArray dScores, INDArray dQ, INDArray dK, Map<String, INDArray> grads) {
            long mb = hidden.size(0);
            long tQ = hidden.size(1);
            long tK = hidden.size(2);
            long dA = hidden.size(3);
            INDArray dColumn = dScores.reshape('c', mb * tQ * tK, 1);
            INDArray hiddenRows = hidden.reshape('c', mb * tQ * tK, dA);
            grads.get(V_A).assign(mm(dColumn, hiddenRows, true, false));                     // Σ dE ⊙ S, [1, dA]
            INDArray dHidden = mm(dColumn, va, false, false)                                  // dE v_a ⊙ (1 − S²)
                    .muli(hiddenRows.mul(hiddenRows).rsubi(1.0)).reshape('c', mb, tQ, tK, dA);
            INDArray dQa = dHidden.sum(2).reshape('c', mb * tQ, dA);
            INDArray dKa = dHidden.sum(1).reshape('c', mb * tK, dA);
            grads.get(W_Q).assign(mm(qRows, dQa, true, false));
            grads.get(W_K).assign(mm(kRows, dKa, true, false));
            dQ.addi(mm(dQa, wq, false, true));
            dK.addi(mm(dKa, wk, false, true).reshape('c', dK.shape()));
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + queryDim + ", " + keyDim + " -> " + attentionDim + ")";
    }
}
