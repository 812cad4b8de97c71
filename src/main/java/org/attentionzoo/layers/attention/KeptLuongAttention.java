package org.attentionzoo.layers.attention;

import org.attentionzoo.layers.KeptGraphVertex;
import org.attentionzoo.layers.KeptRows;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;

import static org.attentionzoo.layers.KeptRows.mm;

/**
 * Runtime of {@link LuongAttention} whose training step keeps its forward pass for the backward pass
 * ({@link KeptGraphVertex}). DL4J M2.1 runs a SameDiff vertex's backward pass with {@code calculateGradients}, which
 * computes the forward pass again; here a
 * training forward pass ({@code training = true}) is computed by hand, its arrays kept in the activations
 * workspace, and the backward pass of the same inputs uses them:
 * <pre>
 *   Q [mb, tT, dDec], K [mb, tS, dEnc]       the inputs as rows (NCW → [mb, t, d])
 *   E = score(Q, K)                            A = align(E, Q, m)   (global: softmax(E + (m − 1)·1e9) ⊙ m, {@link Alignment})
 *   C = A K        J = [C ; Q]        H = tanh(J W_c)        out = H ⊙ m_dec
 * backward, from dOut:
 *   dP = dOut ⊙ m_dec ⊙ (1 − H²)      dW_c = Jᵀ dP           [dC ; dQ] = dP W_cᵀ
 *   dA = dC Kᵀ      dK = Aᵀ dC        dE from the alignment's backward pass ({@link Alignment#training}; global:
 *                                      A ⊙ (dA − Σ_s dA ⊙ A)), then the score's ({@link AttentionScore#training}), adding to dQ and dK
 * </pre>
 * m is the source mask, m_dec the target mask. Inference and a backward pass whose forward pass was not kept
 * (other inputs) run the SameDiff graph ({@link org.attentionzoo.layers.FixedSameDiffGraphVertex}); both
 * compute the same function ({@code KeptLuongAttentionTest}: outputs and gradients to 1e-10 in double, with masks).
 */
public class KeptLuongAttention extends KeptGraphVertex {

    public KeptLuongAttention(LuongAttention config, ComputationGraph graph, String name, int vertexIndex,
                              INDArray paramsView, boolean initParams, DataType dataType) {
        super(config, graph, name, vertexIndex, paramsView, initParams, dataType);
    }

    @Override
    protected KeptGraphVertex.Pass forward(Map<String, INDArray> dropoutMasks) {
        return new Pass((LuongAttention) config, inputs[0], inputs[1], mask(0), mask(1), paramTable);
    }

    /** [mb, dOut, tT]. */
    @Override
    protected long[] outputShape() {
        return new long[]{inputs[0].size(0), ((LuongAttention) config).outputSize(), inputs[0].size(2)};
    }

    /** Input i's time mask [mb, t], or null when it has none. */
    private INDArray mask(int i) {
        return maskArrays == null ? null : maskArrays[i];
    }

    /** One kept forward pass. */
    private static final class Pass implements KeptGraphVertex.Pass {
        private final long mb;
        private final long tT;
        private final long tS;
        private final INDArray wc;         // W_c [dEnc + dDec, dOut]
        private final INDArray q;          // [mb, tT, dDec]
        private final INDArray k;          // [mb, tS, dEnc]
        private final AttentionScore.Training score;
        private final Alignment.Training alignment;
        private final INDArray weights;    // A [mb, tT, tS]
        private final INDArray joined;     // J rows [mb·tT, dEnc + dDec]
        private final INDArray tanh;       // H rows [mb·tT, dOut]
        private final INDArray targetMask; // m_dec as a column [mb·tT, 1]
        private final INDArray output;     // rows [mb·tT, dOut]

        Pass(LuongAttention conf, INDArray decoder, INDArray encoder, INDArray decoderMask, INDArray encoderMask,
             Map<String, INDArray> p) {
            DataType type = decoder.dataType();
            mb = decoder.size(0);
            tT = decoder.size(2);
            tS = encoder.size(2);
            long dDec = conf.decoderSize();
            long dEnc = conf.encoderSize();
            wc = p.get(LuongAttention.W_C);
            INDArray qRows = KeptRows.fromNcw(decoder);                                      // [mb·tT, dDec]
            INDArray kRows = KeptRows.fromNcw(encoder);                                      // [mb·tS, dEnc]
            q = qRows.reshape('c', mb, tT, dDec);
            k = kRows.reshape('c', mb, tS, dEnc);
            score = conf.scoreFunction().training(q, k, p);
            INDArray sourceMask = encoderMask != null ? encoderMask : Nd4j.ones(type, mb, tS);
            alignment = conf.alignment().training(score.scores(), q, sourceMask, p);
            weights = alignment.weights();                                                   // [mb, tT, tS]
            INDArray context = mm(weights, k, false, false).reshape('c', mb * tT, dEnc);
            joined = Nd4j.concat(1, context, qRows);
            tanh = Transforms.tanh(mm(joined, wc, false, false), false);
            targetMask = KeptRows.stepColumn(decoderMask, mb, tT, type);
            output = tanh.mulColumnVector(targetMask);
        }

        @Override
        public INDArray output() {
            return output;
        }

        /** Writes the parameters' gradients into {@code grads}; returns dL/dQ and dL/dK as rows. */
        @Override
        public INDArray[] backward(INDArray dOut, Map<String, INDArray> grads) {
            long dEnc = k.size(2);
            long dDec = q.size(2);
            INDArray dPre = dOut.mulColumnVector(targetMask).muli(tanh.mul(tanh).rsubi(1.0));   // [mb·tT, dOut]
            grads.get(LuongAttention.W_C).assign(mm(joined, dPre, true, false));
            INDArray dJoined = mm(dPre, wc, false, true);                                       // [mb·tT, dEnc + dDec]
            INDArray dContext = dJoined.get(NDArrayIndex.all(), NDArrayIndex.interval(0, dEnc)).dup('c')
                    .reshape('c', mb, tT, dEnc);
            INDArray dQ = dJoined.get(NDArrayIndex.all(), NDArrayIndex.interval(dEnc, dEnc + dDec)).dup('c');
            INDArray dWeights = mm(dContext, k, false, true);                                  // [mb, tT, tS]
            INDArray dK = mm(weights, dContext, true, false);                                  // [mb, tS, dEnc]
            score.backward(alignment.backward(dWeights, dQ, grads), dQ, dK, grads);
            return new INDArray[]{dQ, dK.reshape('c', mb * tS, dEnc)};
        }
    }
}
