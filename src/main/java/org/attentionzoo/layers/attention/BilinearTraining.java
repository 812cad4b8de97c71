package org.attentionzoo.layers.attention;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

import static org.attentionzoo.layers.KeptRows.mm;

/**
 * The training pass of the bilinear scores, dot (W_a = I) and general:
 * <pre>
 *   E = Q K'ᵀ          K' = K W_aᵀ (general) or K (dot)                  [mb, tQ, tK]
 *   dQ += dE K'        dK' = dEᵀ Q        general: dW_a = Σ_b dK'ᵀ K,  dK += dK' W_a;   dot: dK += dK'
 * </pre>
 */
final class BilinearTraining implements AttentionScore.Training {
    private final INDArray q;      // [mb, tQ, dQ]
    private final INDArray kRows;  // [mb·tK, dK]
    private final INDArray wa;     // W_a [dQ, dK], null for dot
    private final INDArray keys;   // K' [mb, tK, dQ]

    /**
     * @param q  [mb, tQ, dQ]
     * @param k  [mb, tK, dK]
     * @param wa W_a [dQ, dK], or null for the dot score
     */
    BilinearTraining(INDArray q, INDArray k, INDArray wa) {
        this.q = q;
        this.kRows = k.reshape('c', k.size(0) * k.size(1), k.size(2));
        this.wa = wa;
        this.keys = wa == null ? k : mm(kRows, wa, false, true).reshape('c', k.size(0), k.size(1), q.size(2));
    }

    @Override
    public INDArray scores() {
        return mm(q, keys, false, true);
    }

    @Override
    public void backward(INDArray dScores, INDArray dQ, INDArray dK, Map<String, INDArray> grads) {
        long mb = q.size(0);
        long tK = keys.size(1);
        long dDec = q.size(2);
        dQ.addi(mm(dScores, keys, false, false).reshape('c', dQ.size(0), dDec));
        INDArray dKeys = mm(dScores, q, true, false);                                      // [mb, tK, dQ]
        if (wa == null) {
            dK.addi(dKeys);
        } else {
            INDArray dKeyRows = dKeys.reshape('c', mb * tK, dDec);
            grads.get(GeneralScore.W_A).assign(mm(dKeyRows, kRows, true, false));
            dK.addi(mm(dKeyRows, wa, false, false).reshape('c', dK.shape()));
        }
    }
}
