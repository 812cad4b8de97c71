package org.attentionzoo.layers.attention;

import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Alignment weights a_ts from scores e_ts ({@link AttentionSpan}): a softmax over the whole real source
 * ({@link GlobalAlignment}) or over a window of it, reweighted by a Gaussian ({@link LocalAlignment}).
 *
 * <p>Like a score, it holds every form of its math: the SameDiff form (the definition), the training pass with its
 * backward pass ({@link #training}, run by {@link KeptLuongAttention}), and the one-query decoding step
 * ({@link #step}, run by the incremental decoders); {@code LocalAlignmentTest} holds them equal. Parameters (local-p's
 * position predictor) live in the enclosing layer's parameter table; keys contain no underscore.
 */
public interface Alignment {

    /** Declares this alignment's parameters on the enclosing layer (none for global and local-m). */
    void defineParameters(SDLayerParams params);

    /** Initialises this alignment's parameters. */
    void initializeParameters(Map<String, INDArray> params);

    /**
     * @param scores     e [mb, tQ, tK]
     * @param queries    the decoder states h_t [mb, tQ, dQ], query t at target position t
     * @param sourceMask [mb, tK], 1 for real source positions
     * @return the weights a [mb, tQ, tK], 0 at padding
     */
    SDVariable weights(SameDiff sd, SDVariable scores, SDVariable queries, SDVariable sourceMask,
                       Map<String, SDVariable> params);

    /**
     * The training forward pass of {@link #weights} on arrays, keeping what its backward pass needs.
     *
     * @param scores     e [mb, tQ, tK]
     * @param queries    h_t [mb, tQ, dQ]
     * @param sourceMask [mb, tK]
     */
    Training training(INDArray scores, INDArray queries, INDArray sourceMask, Map<String, INDArray> params);

    /** A kept forward pass of the alignment and its backward pass. */
    interface Training {

        /** @return a [mb, tQ, tK] */
        INDArray weights();

        /**
         * @param dWeights dL/da [mb, tQ, tK]
         * @param dQ       dL/dh as rows [mb·tQ, dQ], added to (local-p's predictor reads h_t)
         * @param grads    the parameters' gradients by name, assigned
         * @return dL/de [mb, tQ, tK]
         */
        INDArray backward(INDArray dWeights, INDArray dQ, Map<String, INDArray> grads);

        /** The kept weights a and the backward pass that reads them. */
        static Training of(INDArray weights, Backward backward) {
            return new Training() {
                @Override
                public INDArray weights() {
                    return weights;
                }

                @Override
                public INDArray backward(INDArray dWeights, INDArray dQ, Map<String, INDArray> grads) {
                    return backward.apply(dWeights, dQ, grads);
                }
            };
        }
    }

    /** {@link Training#backward} as a function, for {@link Training#of}. */
    @FunctionalInterface
    interface Backward {
        INDArray apply(INDArray dWeights, INDArray dQ, Map<String, INDArray> grads);
    }

    /**
     * One decoding step: for one query per row at target position {@code positions}, which source positions it
     * may attend to and the factor on its softmax weights; a = softmax over {@code keep} of e, times factor.
     *
     * @param queries    h_t [rows, dQ]
     * @param positions  t per row, [rows, 1] (the number of target tokens before this one)
     * @param sourceMask [rows, tK]
     */
    Step step(INDArray queries, INDArray positions, INDArray sourceMask, Map<String, INDArray> params);

    /**
     * @param keep   [rows, tK], 1 where the softmax runs
     * @param factor [rows, tK], the factor on the softmax weights, or null for none
     */
    record Step(INDArray keep, INDArray factor) {
    }
}
