package org.attentionzoo.layers.transformer;

import org.attentionzoo.layers.KeptForward;
import org.attentionzoo.layers.KeptRows;
import org.attentionzoo.layers.DropoutSameDiffLayer;
import org.attentionzoo.layers.ParameterGradients;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Runtime of {@link EncoderLayer} whose training step keeps its forward pass for the backward pass. DL4J M2.1
 * runs a SameDiff layer's backward pass with {@code calculateGradients}, which computes the forward pass again;
 * here a training forward pass ({@code training = true}) is computed by hand ({@link KeptAttention},
 * {@link KeptFeedForward}, {@link KeptResidual}) with its arrays kept in the activations workspace, and the
 * backward pass of the same input uses them. Inference, and a backward pass whose forward pass was not kept
 * (another input), run the SameDiff graph as before ({@link DropoutSameDiffLayer}); both compute the same function
 * ({@code KeptTransformerLayersTest}: outputs and gradients to 1e-10 in double, with masks and dropout).
 */
public class KeptEncoderLayer extends DropoutSameDiffLayer {

    private final KeptForward<Pass> kept = new KeptForward<>();

    public KeptEncoderLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        kept.forget();
        if (!training) {
            return super.activate(false, workspaceMgr);
        }
        assertInputSet(false);
        EncoderLayer conf = (EncoderLayer) layerConf();
        conf.validateInput(input);
        Map<String, INDArray> drop = drawDropoutMasks(true);
        Pass pass;
        try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
            pass = new Pass(conf, input, maskArray, drop, paramTable);
        }
        kept.keep(pass, input);
        return KeptRows.toNcw(pass.output, workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(),
                input.shape(), 'c'));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Pass pass = kept.take(input);
        if (pass == null) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray dIn;
        try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.BP_WORKING_MEM)) {
            dIn = pass.backward(KeptRows.fromNcw(epsilon), gradTable);
        }
        Gradient g = ParameterGradients.of(paramTable.keySet(), gradTable);
        return new Pair<>(g, KeptRows.toNcw(dIn, workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD,
                epsilon.dataType(), input.shape(), 'c')));
    }

    @Override
    public void clear() {
        super.clear();
        kept.forget();
    }

    /** One kept forward pass on rows [mb·T, d_model]. */
    private static final class Pass {
        final KeptResidual attention;
        final KeptResidual feedForward;
        final KeptLayerEnd end;
        final INDArray output;

        Pass(EncoderLayer conf, INDArray input, INDArray mask, Map<String, INDArray> drop, Map<String, INDArray> p) {
            long mb = input.size(0);
            INDArray x = KeptRows.fromNcw(input);
            MultiHeadAttention mha = conf.attention();
            INDArray weightDrop = drop.get(EncoderLayer.DROP_WEIGHTS);
            attention = KeptResidual.forward(conf.getNormPosition(), x, p, EncoderLayer.LN1,
                    KeptRows.dropoutRows(drop.get(EncoderLayer.DROP_ATTENTION), conf.getDModel()),
                    in -> new KeptAttention(mha, p, "", mb, in, in, mask, false, weightDrop).asSublayer(null));
            feedForward = KeptResidual.forward(conf.getNormPosition(), attention.output(), p, EncoderLayer.LN2,
                    KeptRows.dropoutRows(drop.get(EncoderLayer.DROP_FFN), conf.getDModel()),
                    in -> new KeptFeedForward(in, p, ""));
            end = new KeptLayerEnd(feedForward.output(), conf.hasFinalLayerNorm() ? EncoderLayer.LN_FINAL : null, p, mask,
                    mb, input.size(2));
            output = end.output();
        }

        INDArray backward(INDArray dOut, Map<String, INDArray> grads) {
            return attention.backward(feedForward.backward(end.backward(dOut, grads), grads), grads);
        }
    }
}
