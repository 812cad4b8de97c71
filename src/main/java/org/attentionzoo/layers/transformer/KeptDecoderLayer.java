package org.attentionzoo.layers.transformer;

import org.attentionzoo.layers.KeptGraphVertex;
import org.attentionzoo.layers.KeptRows;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Runtime of {@link DecoderLayer} whose training step keeps its forward pass for the backward pass
 * ({@link KeptGraphVertex}), as {@link KeptEncoderLayer} does for the encoder layer: a training forward pass is
 * computed by hand with its arrays in the activations workspace, and the backward pass of the same inputs uses
 * them instead of SameDiff's {@code calculateGradients} (which runs the forward pass again).
 */
public class KeptDecoderLayer extends KeptGraphVertex {

    private final DecoderLayer conf;

    public KeptDecoderLayer(DecoderLayer config, ComputationGraph graph, String name, int vertexIndex,
                            INDArray paramsView, boolean initParams, DataType dataType) {
        super(config, graph, name, vertexIndex, paramsView, initParams, dataType);
        this.conf = config;
    }

    @Override
    protected KeptGraphVertex.Pass forward(Map<String, INDArray> dropoutMasks) {
        return new Pass(conf, inputs, maskArrays, dropoutMasks, paramTable);
    }

    /** The decoder input's shape. */
    @Override
    protected long[] outputShape() {
        return inputs[0].shape();
    }

    /** One kept forward pass on rows: decoder [mb·tTgt, d_model], encoder [mb·tSrc, d_model]. */
    private static final class Pass implements KeptGraphVertex.Pass {
        final KeptResidual self;
        final KeptResidual cross;
        final KeptResidual feedForward;
        final KeptLayerEnd end;
        final INDArray output;
        final INDArray[] encoderGradient = new INDArray[1];

        Pass(DecoderLayer conf, INDArray[] inputs, INDArray[] masks, Map<String, INDArray> drop, Map<String, INDArray> p) {
            INDArray decoder = inputs[0];
            INDArray encoder = inputs[1];
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

        @Override
        public INDArray output() {
            return output;
        }

        /** @return dL/d(decoder input) and dL/d(encoder output), as rows */
        @Override
        public INDArray[] backward(INDArray dOut, Map<String, INDArray> grads) {
            INDArray dx = self.backward(cross.backward(feedForward.backward(end.backward(dOut, grads), grads), grads), grads);
            return new INDArray[]{dx, encoderGradient[0]};
        }
    }
}
