package org.attentionzoo.layers;

import org.attentionzoo.optim.LabelSmoothedCrossEntropy;
import org.attentionzoo.util.NumericBuffer;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.TimeSeriesUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Collection;

/**
 * DL4J's {@link RnnOutputLayer} (z = x W + b at every time step, then the activation and loss), with its
 * matrix product done differently: z [n, nOut] is computed as zᵀ = Wᵀ xᵀ by one BLAS GEMM into a
 * column-major [nOut, n] buffer, which read as its transpose is z in row-major order. DL4J M2.1 writes
 * x W straight into a row-major array, and ND4J's product into a row-major result is much slower than into a
 * column-major one for the zoo's output shapes; a column-major z would be as fast to compute but makes the
 * softmax's row reductions several times slower. The values are
 * the same. The configuration is DL4J's, so the layer serialises, loads and is read by decoders as an
 * {@code RnnOutputLayer}; only {@link #instantiate} differs.
 *
 * <p>Second, with a {@link LabelSmoothedCrossEntropy} loss the score of a training step comes from the
 * backward pass: DL4J's ComputationGraph back-propagates the output layer and then asks it for the score,
 * which DL4J's layer computes by running x W + b and the softmax again. This one keeps the score the loss
 * computed with the gradient and returns it while the layer's input, labels and mask hold the same values.
 *
 * <p>Third, the backward pass of a training step multiplies only the time steps the label mask keeps (mask ≠ 0):
 * their rows of x and of the labels are gathered into a batch of one-step sequences, DL4J's backward pass runs
 * on those, and dL/dx is scattered back, zero at the masked steps. A masked step adds nothing to the loss, to
 * dW or to db (DL4J's losses multiply its gradient by the mask), so the results are the same; the products
 * z = x W + b, dW = xᵀ dz and dx = dz Wᵀ, the largest of an RNN training step, shrink with the padding (about a
 * fifth of the target positions in length-bucketed batches of the en-fr corpus).
 *
 * <p>Build it from a configured RnnOutputLayer: {@code GemmOutputLayer.of(new RnnOutputLayer.Builder()…build())}.
 */
public class GemmOutputLayer extends RnnOutputLayer {

    /** For Jackson; use {@link #of}. */
    public GemmOutputLayer() {
    }

    /**
     * The same configuration as {@code conf} (every field of RnnOutputLayer and its superclasses, copied:
     * DL4J's builder cannot build a subclass).
     */
    public static GemmOutputLayer of(RnnOutputLayer conf) {
        return LayerRuntimes.copyConfiguration(conf, new GemmOutputLayer(), RnnOutputLayer.class);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("GemmOutputLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerRuntimes.wire(new Runtime(conf, networkDataType), this, conf, trainingListeners, layerIndex,
                layerParamsView, initializeParams);
    }

    /** The runtime layer: DL4J's, with the pre-activations and the training score computed as described above. */
    public static class Runtime extends org.deeplearning4j.nn.layers.recurrent.RnnOutputLayer {

        /** The summed loss of the last backward pass, and the arrays it was computed for. */
        private double backpropScore = Double.NaN;
        private INDArray scoredInput;
        private INDArray scoredLabels;
        private INDArray scoredMask;
        private long reusedScores;

        public Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            forgetBackpropScore();
            int[] kept = keptSteps();
            Pair<Gradient, INDArray> result;
            if (kept == null) {
                result = super.backpropGradient(epsilon, workspaceMgr);
            } else {
                INDArray fullInput = input;
                INDArray fullLabels = labels;
                INDArray fullMask = maskArray;
                try {
                    input = asOneStepSequences(fullInput, kept);
                    labels = asOneStepSequences(fullLabels, kept);
                    INDArray mask = Nd4j.pullRows(fullMask, 1, kept);
                    maskArray = mask.minNumber().doubleValue() == 1.0 && mask.maxNumber().doubleValue() == 1.0 ? null : mask;
                    Pair<Gradient, INDArray> compact = super.backpropGradient(epsilon, workspaceMgr);
                    result = new Pair<>(compact.getFirst(), scatter(compact.getSecond(), kept, fullInput, workspaceMgr));
                } finally {
                    input = fullInput;
                    labels = fullLabels;
                    maskArray = fullMask;
                }
            }
            if (layerConf().getLossFn() instanceof LabelSmoothedCrossEntropy loss) {
                backpropScore = loss.lastGradientScore();
                scoredInput = input;
                scoredLabels = labels;
                scoredMask = maskArray;
            }
            return result;
        }

        /**
         * The rows (b + mb · t, DL4J's order for a time series flattened to rows) of the time steps the label
         * mask keeps, or null to use every row: no per-step mask, none masked, or not the NCW time series this
         * layer gathers.
         */
        private int[] keptSteps() {
            if (maskArray == null || maskArray.size(1) != 1 || input == null || input.rank() != 3
                    || labels == null || labels.rank() != 3 || layerConf().getRnnDataFormat() != RNNFormat.NCW
                    || maskArray.length() != input.size(0) * input.size(2)) {
                return null;
            }
            double[] mask = maskArray.castTo(DataType.DOUBLE).dup().data().asDouble();    // dup: a view reads from 0
            int n = 0;
            for (double m : mask) {
                n += m != 0 ? 1 : 0;
            }
            if (n == mask.length || n == 0) {
                return null;
            }
            int[] kept = new int[n];
            for (int i = 0, k = 0; i < mask.length; i++) {
                if (mask[i] != 0) {
                    kept[k++] = i;
                }
            }
            return kept;
        }

        /** The kept rows of a time series [mb, size, T] as {@code kept.length} sequences of one step: [n, size, 1]. */
        private static INDArray asOneStepSequences(INDArray series, int[] kept) {
            INDArray rows = Nd4j.pullRows(TimeSeriesUtils.reshape3dTo2d(series), 1, kept);   // [n, size]
            return rows.reshape(rows.ordering(), rows.size(0), rows.size(1), 1);
        }

        /** dL/dx [mb, nIn, T] from the kept steps' [n, nIn, 1]: zero at the masked steps. */
        private static INDArray scatter(INDArray compact, int[] kept, INDArray input, LayerWorkspaceMgr workspaceMgr) {
            long mb = input.size(0);
            int nIn = (int) input.size(1);
            long steps = input.size(2);
            // [T, nIn, mb] row-major is [mb, nIn, T] column-major, the layout DL4J's layers return
            INDArray full = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, compact.dataType(), new long[]{steps, nIn, mb}, 'c');
            INDArray rows = compact.reshape(compact.size(0), nIn).dup('c');
            NumericBuffer from = NumericBuffer.of(rows);
            NumericBuffer to = NumericBuffer.of(full);
            for (int i = 0; i < kept.length; i++) {
                long b = kept[i] % mb;
                long t = kept[i] / mb;
                for (int k = 0; k < nIn; k++) {
                    to.set((int) ((t * nIn + k) * mb + b), from.get(i * nIn + k));
                }
            }
            return full.permute(2, 1, 0);
        }

        /**
         * The score of the last backward pass when it was for the same input, labels and mask, else DL4J's.
         * Either way the kept score is used at most once: the arrays it refers to may live in a workspace
         * that the next training step reuses.
         */
        @Override
        public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
            double score = backpropScore;
            boolean hit = training && !Double.isNaN(score) && same(input, scoredInput) && same(labels, scoredLabels)
                    && same(maskArray, scoredMask);
            forgetBackpropScore();
            if (!hit) {
                return super.computeScore(fullNetRegTerm, training, workspaceMgr);
            }
            reusedScores++;
            if (conf().isMiniBatch()) {
                score /= getInputMiniBatchSize();
            }
            this.score = score + fullNetRegTerm;
            return this.score;
        }

        /** How many scores were taken from the backward pass rather than computed again (one per training step). */
        public long reusedScores() {
            return reusedScores;
        }

        /**
         * The same array or equal values: DL4J sets the label mask again before asking for the score (a new
         * array each time), and may set the input again.
         */
        private static boolean same(INDArray a, INDArray b) {
            return a == b || a != null && b != null && java.util.Arrays.equals(a.shape(), b.shape())
                    && a.equalsWithEps(b, 0.0);
        }

        private void forgetBackpropScore() {
            backpropScore = Double.NaN;
            scoredInput = scoredLabels = scoredMask = null;
        }

        @Override
        public void clear() {
            super.clear();
            forgetBackpropScore();
        }

        /** z = x W + b for the 2D input x [n, nIn] the superclass has set: [n, nOut], row-major. */
        @Override
        protected Pair<INDArray, INDArray> preOutputWithPreNorm(boolean training, boolean forBackprop,
                                                                LayerWorkspaceMgr workspaceMgr) {
            if (hasLayerNorm()) {
                return super.preOutputWithPreNorm(training, forBackprop, workspaceMgr);  // never set by the zoo
            }
            assertInputSet(forBackprop);
            applyDropOutIfNecessary(training, workspaceMgr);
            INDArray w = getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, training, workspaceMgr);
            INDArray x = input.castTo(w.dataType());
            if (x.rank() != 2 || x.size(1) != w.size(0)) {
                throw new DL4JInvalidInputException("output layer " + layerId() + ": input of shape "
                        + java.util.Arrays.toString(x.shape()) + " does not match " + w.size(0) + " inputs");
            }
            INDArray zT = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, w.dataType(),
                    new long[]{w.size(1), x.size(0)}, 'f');
            Nd4j.gemm(w, x, zT, true, true, 1.0, 0.0);                              // zᵀ = Wᵀ xᵀ  [nOut, n]
            INDArray z = zT.transpose();                                             // [n, nOut], row-major
            if (hasBias()) {
                z.addiRowVector(getParamWithNoise(DefaultParamInitializer.BIAS_KEY, training, workspaceMgr));
            }
            if (maskArray != null) {
                applyMask(z);
            }
            return new Pair<>(z, z);
        }
    }
}
