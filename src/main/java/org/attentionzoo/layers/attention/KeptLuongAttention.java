package org.attentionzoo.layers.attention;

import org.attentionzoo.layers.FixedSameDiffGraphVertex;
import org.attentionzoo.layers.KeptRows;
import org.attentionzoo.layers.ParameterGradients;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;

import static org.attentionzoo.layers.KeptRows.mm;

/**
 * Runtime of {@link LuongAttention} with the dot or general score whose training step keeps its forward pass for
 * the backward pass. DL4J M2.1 runs a SameDiff vertex's backward pass with {@code calculateGradients}, which
 * computes the forward pass again (about 10% of a luong-general training step went to the vertex); here a
 * training forward pass ({@code training = true}) is computed by hand, its arrays kept in the activations
 * workspace, and the backward pass of the same inputs uses them:
 * <pre>
 *   Q [mb, tT, dDec], K [mb, tS, dEnc]       the inputs as rows (NCW → [mb, t, d])
 *   K' = K W_aᵀ (general) or K (dot)           E = Q K'ᵀ              A = softmax(E + (m − 1)·1e9) ⊙ m   ({@link MaskedSoftmax})
 *   C = A K        J = [C ; Q]        H = tanh(J W_c)        out = H ⊙ m_dec
 * backward, from dOut:
 *   dP = dOut ⊙ m_dec ⊙ (1 − H²)      dW_c = Jᵀ dP           [dC ; dQ] = dP W_cᵀ
 *   dA = dC Kᵀ      dK = Aᵀ dC        dE = A ⊙ (dA − Σ_s dA ⊙ A)
 *   dQ += dE K'     dK' = dEᵀ Q       general: dW_a = Σ_b dK'ᵀ K,  dK += dK' W_a;   dot: dK += dK'
 * </pre>
 * m is the source mask, m_dec the target mask. Inference, the concat and additive scores, and a backward pass
 * whose forward pass was not kept (other inputs) run the SameDiff graph ({@link FixedSameDiffGraphVertex}); both
 * compute the same function ({@code KeptLuongAttentionTest}: outputs and gradients to 1e-10 in double, with masks).
 */
public class KeptLuongAttention extends FixedSameDiffGraphVertex {

    private Pass kept;

    public KeptLuongAttention(LuongAttention config, ComputationGraph graph, String name, int vertexIndex,
                              INDArray paramsView, boolean initParams, DataType dataType) {
        super(config, graph, name, vertexIndex, paramsView, initParams, dataType);
        if (config.scoreType() != ScoreType.DOT && config.scoreType() != ScoreType.GENERAL) {
            throw new IllegalArgumentException("KeptLuongAttention computes the dot and general scores, not " + config.scoreType());
        }
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        kept = null;
        if (!training) {
            return super.doForward(false, workspaceMgr);
        }
        LuongAttention conf = (LuongAttention) config;
        conf.validateInput(inputs);
        try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
            kept = new Pass(conf, inputs[0], inputs[1], mask(0), mask(1), paramTable);
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, inputs[0].dataType(),
                new long[]{inputs[0].size(0), conf.outputSize(), inputs[0].size(2)}, 'c');
        return KeptRows.toNcw(kept.output, out);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        Pass pass = kept;
        kept = null;
        if (pass == null || pass.decoderIn != inputs[0] || pass.encoderIn != inputs[1]) {
            return super.doBackward(tbptt, workspaceMgr);
        }
        INDArray[] d;
        try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.BP_WORKING_MEM)) {
            d = pass.backward(KeptRows.fromNcw(epsilon), gradTable);
        }
        Gradient g = ParameterGradients.of(paramTable.keySet(), gradTable);
        INDArray dDecoder = KeptRows.toNcw(d[0], workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD,
                epsilon.dataType(), inputs[0].shape(), 'c'));
        INDArray dEncoder = KeptRows.toNcw(d[1], workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD,
                epsilon.dataType(), inputs[1].shape(), 'c'));
        return new Pair<>(g, new INDArray[]{dDecoder, dEncoder});
    }

    @Override
    public void clear() {
        super.clear();
        kept = null;
    }

    /** Input i's time mask [mb, t], or null when it has none. */
    private INDArray mask(int i) {
        return maskArrays == null ? null : maskArrays[i];
    }

    /** One kept forward pass. */
    private static final class Pass {
        final INDArray decoderIn;
        final INDArray encoderIn;
        private final long mb;
        private final long tT;
        private final long tS;
        private final INDArray wa;         // W_a [dDec, dEnc], null for dot
        private final INDArray wc;         // W_c [dEnc + dDec, dOut]
        private final INDArray q;          // [mb, tT, dDec]
        private final INDArray k;          // [mb, tS, dEnc]
        private final INDArray keys;       // K' [mb, tS, dDec]
        private final INDArray weights;    // A [mb, tT, tS]
        private final INDArray joined;     // J rows [mb·tT, dEnc + dDec]
        private final INDArray tanh;       // H rows [mb·tT, dOut]
        private final INDArray targetMask; // m_dec as a column [mb·tT, 1]
        final INDArray output;             // rows [mb·tT, dOut]

        Pass(LuongAttention conf, INDArray decoder, INDArray encoder, INDArray decoderMask, INDArray encoderMask,
             Map<String, INDArray> p) {
            this.decoderIn = decoder;
            this.encoderIn = encoder;
            DataType type = decoder.dataType();
            mb = decoder.size(0);
            tT = decoder.size(2);
            tS = encoder.size(2);
            long dDec = conf.decoderSize();
            long dEnc = conf.encoderSize();
            wa = conf.scoreType() == ScoreType.GENERAL ? p.get(GeneralScore.W_A) : null;
            wc = p.get(LuongAttention.W_C);
            INDArray qRows = KeptRows.fromNcw(decoder);                                      // [mb·tT, dDec]
            INDArray kRows = KeptRows.fromNcw(encoder);                                      // [mb·tS, dEnc]
            q = qRows.reshape('c', mb, tT, dDec);
            k = kRows.reshape('c', mb, tS, dEnc);
            keys = wa == null ? k : mm(kRows, wa, false, true).reshape('c', mb, tS, dDec);
            INDArray sourceMask = encoderMask != null ? encoderMask : Nd4j.ones(type, mb, tS);
            weights = MaskedSoftmax.apply(mm(q, keys, false, true), sourceMask);             // [mb, tT, tS]
            INDArray context = mm(weights, k, false, false).reshape('c', mb * tT, dEnc);
            joined = Nd4j.concat(1, context, qRows);
            tanh = Transforms.tanh(mm(joined, wc, false, false), false);
            targetMask = KeptRows.stepColumn(decoderMask, mb, tT, type);
            output = tanh.mulColumnVector(targetMask);
        }

        /** Writes W_c's (and W_a's) gradients into {@code grads}; returns dL/dQ and dL/dK as rows. */
        INDArray[] backward(INDArray dOut, Map<String, INDArray> grads) {
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
            INDArray dRows = dWeights.reshape('c', mb * tT, tS);                               // views, a row per query
            INDArray weightRows = weights.reshape('c', mb * tT, tS);
            dRows.subiColumnVector(dRows.mul(weightRows).sum(true, 1)).muli(weightRows);       // dE, in dWeights
            dQ.addi(mm(dWeights, keys, false, false).reshape('c', mb * tT, dDec));
            INDArray dKeys = mm(dWeights, q, true, false);                                     // [mb, tS, dDec]
            if (wa == null) {
                dK.addi(dKeys);
            } else {
                INDArray dKeyRows = dKeys.reshape('c', mb * tS, dDec);
                INDArray kRows = k.reshape('c', mb * tS, dEnc);
                grads.get(GeneralScore.W_A).assign(mm(dKeyRows, kRows, true, false));
                dK.addi(mm(dKeyRows, wa, false, false).reshape('c', mb, tS, dEnc));
            }
            return new INDArray[]{dQ, dK.reshape('c', mb * tS, dEnc)};
        }
    }
}
