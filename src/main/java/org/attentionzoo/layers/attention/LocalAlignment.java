package org.attentionzoo.layers.attention;

import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;

import static org.attentionzoo.layers.KeptRows.mm;

/**
 * Luong's local alignment (Luong, Pham and Manning 2015, section 3.2): decoder state h_t attends to the source
 * positions s of the window [p_t − D, p_t + D] (within the real source), with
 * <pre>
 *   local-m:  p_t = t                                          a_ts = softmax_{s in window}(e_ts)
 *   local-p:  p_t = S · sigmoid(v_pᵀ tanh(W_p h_t))            a_ts = softmax_{s in window}(e_ts) · exp(−(s − p_t)² / 2σ²)
 * </pre>
 * S the sentence's source length, σ = D/2, positions counted from 0 on both sides. As in the paper, the Gaussian
 * belongs to local-p only (eq. 10; local-m is the monotonic window with the plain softmax, eq. 7 restricted to it),
 * and the weights are not renormalised after it. A window that holds no real position (t past the source's end,
 * local-m) gives all-zero weights and a zero context. The window's edges do not move the gradient (a step
 * function); p_t gets its gradient through the Gaussian. W_p is stored as [dQ, dP], v_p as [1, dP].
 *
 * <p>Backward pass of local-p, with A⁰ the window softmax, G the Gaussian, d_ts = s − p_t, u_t = tanh(h_t W_p),
 * σ_t = sigmoid(v_p · u_t):
 * <pre>
 *   dE = A⁰ ⊙ (dA⁰ − Σ_s dA⁰ ⊙ A⁰),  dA⁰ = dA ⊙ G        dp_t = Σ_s dA_ts A⁰_ts G_ts d_ts / σ²
 *   dz_t = dp_t p_t (1 − σ_t)       du_t = dz_t v_p ⊙ (1 − u_t²)
 *   dv_p = Σ_t dz_t u_t             dW_p = Σ_t h_tᵀ du_t            dh_t += du_t W_pᵀ
 * </pre>
 */
public final class LocalAlignment implements Alignment {

    /** W_p, [dQ, dP]. */
    public static final String W_P = "Wp";
    /** v_p as a row, [1, dP]. */
    public static final String V_P = "vp";

    private final boolean predictive;
    private final long queryDim;
    private final long predictorDim;
    private final int window;
    /** 2σ² = D²/2. */
    private final double twoSigmaSquared;

    /**
     * @param predictive   local-p (true) or local-m
     * @param queryDim     size of h_t
     * @param predictorDim hidden size dP of local-p's position predictor
     * @param window       the half-width D, at least 1
     */
    LocalAlignment(boolean predictive, long queryDim, long predictorDim, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("the local attention window must be at least 1; got " + window);
        }
        this.predictive = predictive;
        this.queryDim = queryDim;
        this.predictorDim = predictorDim;
        this.window = window;
        this.twoSigmaSquared = window * (double) window / 2;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        if (predictive) {
            params.addWeightParam(W_P, queryDim, predictorDim);
            params.addWeightParam(V_P, 1, predictorDim);
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        if (predictive) {
            Init.xavier(params.get(W_P), queryDim, predictorDim);
            Init.xavier(params.get(V_P), predictorDim, 1);
        }
    }

    @Override
    public SDVariable weights(SameDiff sd, SDVariable scores, SDVariable queries, SDVariable sourceMask,
                              Map<String, SDVariable> params) {
        SDVariable shape = scores.shape();                                                    // [mb, tQ, tK]
        SDVariable m = sd.reshape(sourceMask.castTo(scores.dataType()), sd.concat(0, shape.get(SDIndex.interval(0, 1)),
                sd.constant(Nd4j.createFromArray(1L)), shape.get(SDIndex.interval(2, 3))));   // [mb, 1, tK], whatever rank DL4J gave the mask
        SDVariable ones = sd.onesLike(scores);                                                // [mb, tQ, tK]
        SDVariable s = sd.cumsum(ones, false, false, 2).sub(1.0);                             // s, [mb, tQ, tK]
        SDVariable centre;                                                                    // p_t, broadcast over s
        if (predictive) {
            SDVariable u = sd.math().tanh(Projections.apply(sd, queries, params.get(W_P), false, queryDim)); // [mb, tQ, dP]
            SDVariable z = u.mul(params.get(V_P)).sum(true, 2);                               // [mb, tQ, 1]
            centre = sd.nn().sigmoid(z).mul(m.sum(true, 2));                                  // S · sigmoid(z)
        } else {
            centre = sd.cumsum(ones, false, false, 1).sub(1.0);                               // t, [mb, tQ, tK]
        }
        SDVariable d = s.sub(centre);                                                         // s − p_t
        SDVariable inWindow = sd.math().step(sd.math().abs(d), window).rsub(1.0);             // 1 where |d| ≤ D
        SDVariable a = MaskedSoftmax.applyKeep(sd, scores, inWindow.mul(m));
        return predictive ? a.mul(sd.math().exp(d.mul(d).div(-twoSigmaSquared))) : a;
    }

    /** The window around given centres: d = s − p_t, the positions kept, and the Gaussian (local-p). */
    private record Window(INDArray distance, INDArray keep, INDArray gaussian) {
    }

    /**
     * @param centres    p_t [mb, tQ]
     * @param sourceMask [mb, tK]
     */
    private Window window(INDArray centres, INDArray sourceMask) {
        DataType type = centres.dataType();
        long mb = centres.size(0);
        long tQ = centres.size(1);
        long tK = sourceMask.size(1);
        INDArray d = Nd4j.zeros(type, mb, tQ, tK)
                .addi(Nd4j.arange(0, tK).castTo(type).reshape('c', 1, 1, tK))
                .subi(centres.reshape('c', mb, tQ, 1));                                      // [mb, tQ, tK]
        INDArray keep = Transforms.abs(d, true).lte(window).castTo(type)
                .muli(sourceMask.castTo(type).reshape('c', mb, 1, tK));
        INDArray gaussian = predictive ? Transforms.exp(d.mul(d).divi(-twoSigmaSquared), false) : null;
        return new Window(d, keep, gaussian);
    }

    /** local-p's predictor: u = tanh(Q W_p) [mb·tQ, dP] and sigmoid(u v_pᵀ) [mb, tQ]. */
    private record Predictor(INDArray u, INDArray sigmoid) {
    }

    /** @param queries [mb, tQ, dQ] */
    private static Predictor predictor(INDArray queries, Map<String, INDArray> params) {
        long mb = queries.size(0);
        long tQ = queries.size(1);
        INDArray rows = queries.reshape('c', mb * tQ, queries.size(2));
        INDArray u = Transforms.tanh(mm(rows, params.get(W_P), false, false), false);          // [mb·tQ, dP]
        INDArray sigmoid = Transforms.sigmoid(mm(u, params.get(V_P), false, true), false)
                .reshape('c', mb, tQ);
        return new Predictor(u, sigmoid);
    }

    /** S per sentence as a column [mb, 1]. */
    private static INDArray lengths(INDArray sourceMask, DataType type) {
        return sourceMask.castTo(type).sum(true, 1);
    }

    @Override
    public Training training(INDArray scores, INDArray queries, INDArray sourceMask, Map<String, INDArray> params) {
        DataType type = scores.dataType();
        long mb = scores.size(0);
        long tQ = scores.size(1);
        Predictor predictor = predictive ? predictor(queries, params) : null;
        INDArray centres = predictive
                ? predictor.sigmoid().mulColumnVector(lengths(sourceMask, type))
                : Nd4j.zeros(type, mb, tQ).addiRowVector(Nd4j.arange(0, tQ).castTo(type).reshape(1, tQ));
        Window w = window(centres, sourceMask);
        INDArray softmax = MaskedSoftmax.applyKeep(scores, w.keep());                         // A⁰
        INDArray weights = predictive ? softmax.mul(w.gaussian()) : softmax;
        return Training.of(weights, (dWeights, dQ, grads) -> {
            if (!predictive) {
                return MaskedSoftmax.backward(softmax, dWeights);
            }
            INDArray dCentres = dWeights.mul(weights).muli(w.distance()).sum(2)
                    .divi(twoSigmaSquared / 2);                                          // dp_t [mb, tQ]
            INDArray dZ = dCentres.muli(centres).muli(predictor.sigmoid().rsub(1.0))
                    .reshape('c', mb * tQ, 1);                                           // [mb·tQ, 1]
            INDArray u = predictor.u();
            INDArray dU = mm(dZ, params.get(V_P), false, false).muli(u.mul(u).rsubi(1.0)); // [mb·tQ, dP]
            grads.get(V_P).assign(mm(dZ, u, true, false));
            grads.get(W_P).assign(mm(queries.reshape('c', mb * tQ, queries.size(2)), dU, true, false));
            dQ.addi(mm(dU, params.get(W_P), false, true));
            return MaskedSoftmax.backward(softmax, dWeights.mul(w.gaussian()));
        });
    }

    @Override
    public Step step(INDArray queries, INDArray positions, INDArray sourceMask, Map<String, INDArray> params) {
        DataType type = queries.dataType();
        long rows = queries.size(0);
        long tK = sourceMask.size(1);
        INDArray centres = predictive
                ? predictor(queries.reshape('c', rows, 1, queries.size(1)), params).sigmoid()
                .mulColumnVector(lengths(sourceMask, type))
                : positions.castTo(type).reshape('c', rows, 1);
        Window w = window(centres, sourceMask);
        return new Step(w.keep().reshape('c', rows, tK),
                predictive ? w.gaussian().reshape('c', rows, tK) : null);
    }

    @Override
    public String toString() {
        return (predictive ? "local-p" : "local-m") + "(D=" + window + ")";
    }
}
