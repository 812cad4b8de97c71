package org.attentionzoo.layers.transformer;

import org.attentionzoo.layers.KeptRows;
import org.attentionzoo.layers.FixedSameDiffGraphVertex;
import org.attentionzoo.layers.ParameterGradients;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Runtime of {@link DecoderLayer} whose training step keeps its forward pass for the backward pass, as
 * {@link KeptEncoderLayer} does for the encoder layer: a training forward pass is computed by hand with its arrays
 * in the activations workspace, and the backward pass of the same inputs uses them instead of SameDiff's
 * {@code calculateGradients} (which runs the forward pass again). Inference, and a backward pass whose forward
 * pass was not kept, run the SameDiff graph ({@link FixedSameDiffGraphVertex}).
 */
public class KeptDecoderLayer extends FixedSameDiffGraphVertex {

    private final DecoderLayer conf;
    private Pass kept;

    public KeptDecoderLayer(DecoderLayer config, ComputationGraph graph, String name, int vertexIndex,
                            INDArray paramsView, boolean initParams, DataType dataType) {
        super(config, graph, name, vertexIndex, paramsView, initParams, dataType);
        this.conf = config;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        kept = null;
        if (!training) {
            return super.doForward(false, workspaceMgr);
        }
        conf.validateInput(inputs);
        Map<String, INDArray> drop = drawDropoutMasks(true);
        INDArray decoder = inputs[0];
        try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
            kept = new Pass(conf, inputs, maskArrays, drop, paramTable);
        }
        return KeptRows.toNcw(kept.output, workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS,
                decoder.dataType(), decoder.shape(), 'c'));
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        Pass pass = kept;
        kept = null;
        if (pass == null || pass.decoder != inputs[0] || pass.encoder != inputs[1]) {
            return super.doBackward(tbptt, workspaceMgr);
        }
        INDArray[] d;
        try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.BP_WORKING_MEM)) {
            d = pass.backward(KeptRows.fromNcw(epsilon), gradTable);
        }
        Gradient g = ParameterGradients.of(paramTable.keySet(), gradTable);
        INDArray[] dIn = new INDArray[2];
        for (int i = 0; i < 2; i++) {
            dIn[i] = KeptRows.toNcw(d[i], workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD,
                    epsilon.dataType(), inputs[i].shape(), 'c'));
        }
        return new Pair<>(g, dIn);
    }

    @Override
    public void clear() {
        super.clear();
        kept = null;
    }

    /** One kept forward pass on rows: decoder [mb·tTgt, d_model], encoder [mb·tSrc, d_model]. */
    private static final class Pass {
        final INDArray decoder;
        final INDArray encoder;
        final KeptResidual self;
        final KeptResidual cross;
        final KeptResidual feedForward;
        final KeptLayerEnd end;
        final INDArray output;
        final INDArray[] encoderGradient = new INDArray[1];

        Pass(DecoderLayer conf, INDArray[] inputs, INDArray[] masks, Map<String, INDArray> drop, Map<String, INDArray> p) {
            decoder = inputs[0];
            encoder = inputs[1];
            long mb = decoder.size(0);
            INDArray decoderMask = masks == null ? null : masks[0];
            INDArray encoderMask = masks == null ? null : masks[1];
            INDArray x = KeptRows.fromNcw(decoder);
            INDArray e = KeptRows.fromNcw(encoder);
            MultiHeadAttention mha = conf.attention();
            long d = conf.dModel();
            NormPosition norm = conf.normPosition();
            self = KeptResidual.forward(norm, x, p, DecoderLayer.LN1, KeptRows.dropoutRows(drop.get(DecoderLayer.DROP_SELF), d),
                    in -> new KeptAttention(mha, p, DecoderLayer.SELF, mb, in, in, decoderMask, true,
                            drop.get(DecoderLayer.DROP_SELF_WEIGHTS)).asSublayer(null));
            cross = KeptResidual.forward(norm, self.output(), p, DecoderLayer.LN2,
                    KeptRows.dropoutRows(drop.get(DecoderLayer.DROP_CROSS), d),
                    in -> new KeptAttention(mha, p, DecoderLayer.CROSS, mb, in, e, encoderMask, false,
                            drop.get(DecoderLayer.DROP_CROSS_WEIGHTS)).asSublayer(encoderGradient));
            feedForward = KeptResidual.forward(norm, cross.output(), p, DecoderLayer.LN3,
                    KeptRows.dropoutRows(drop.get(DecoderLayer.DROP_FFN), d), in -> new KeptFeedForward(in, p, ""));
            end = new KeptLayerEnd(feedForward.output(), conf.hasFinalLayerNorm() ? DecoderLayer.LN_FINAL : null, p,
                    decoderMask, mb, decoder.size(2));
            output = end.output();
        }

        /** @return dL/d(decoder input) and dL/d(encoder output), as rows */
        INDArray[] backward(INDArray dOut, Map<String, INDArray> grads) {
            INDArray dx = self.backward(cross.backward(feedForward.backward(end.backward(dOut, grads), grads), grads), grads);
            return new INDArray[]{dx, encoderGradient[0]};
        }
    }
}
