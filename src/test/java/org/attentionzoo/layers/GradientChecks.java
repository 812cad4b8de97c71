package org.attentionzoo.layers;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Gradient checks for ComputationGraphs with the usual settings, for every custom layer's tests.
 *
 * <p>Two tools:
 * <ul>
 *   <li>{@link #passes} runs DL4J's {@link GradientCheckUtil} with epsilon {@value #EPSILON}, maximum relative
 *       error {@value #MAX_REL_ERROR} and minimum absolute error {@value #MIN_ABS_ERROR}.</li>
 *   <li>{@link #measure} does the same central differences itself and returns numbers (GradientCheckUtil
 *       only logs them): the largest relative error
 *       {@code |g - n| / (|g| + |n|)} (entries with {@code |g - n| < minAbs} count as 0, as in GradientCheckUtil)
 *       and, per parameter key, the least-squares ratio {@code sum(g n) / sum(n n)} of backprop gradient
 *       {@code g} to numerical gradient {@code n = (L(w+eps) - L(w-eps)) / (2 eps)}.</li>
 * </ul>
 * Both need a network built with {@code .dataType(DataType.DOUBLE)} and a {@code NoOp} updater (or SGD with
 * learning rate 1), and must run inside {@link #inDoublePrecision}, which sets ND4J's default data types to
 * DOUBLE and restores the previous ones afterwards.
 */
public final class GradientChecks {

    public static final double EPSILON = 1e-6;
    public static final double MAX_REL_ERROR = 1e-3;
    public static final double MIN_ABS_ERROR = 1e-8;

    private GradientChecks() {
    }

    /** Runs {@code body} with ND4J's default data types set to DOUBLE, restoring the previous ones. */
    public static <T> T inDoublePrecision(Supplier<T> body) {
        DataType previous = Nd4j.dataType();
        DataType previousFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            return body.get();
        } finally {
            Nd4j.setDefaultDataTypes(previous, previousFloat);
        }
    }

    /** GradientCheckUtil with the usual settings; masks may be null. Call inside {@link #inDoublePrecision}. */
    public static boolean passes(ComputationGraph net, INDArray[] inputs, INDArray[] labels,
                                 INDArray[] inputMasks, INDArray[] labelMasks) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(net).inputs(inputs).labels(labels).inputMask(inputMasks).labelMask(labelMasks)
                .epsilon(EPSILON).maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false));
    }

    /** Numbers from our own central differences over every parameter; see the class comment. */
    public static Report measure(ComputationGraph net, INDArray[] inputs, INDArray[] labels,
                                 INDArray[] inputMasks, INDArray[] labelMasks) {
        net.setInputs(inputs);
        net.setLabels(labels);
        net.setLayerMaskArrays(inputMasks, labelMasks);
        net.computeGradientAndScore();
        // As GradientCheckUtil does: the (NoOp) updater divides the summed gradient by the minibatch size.
        Gradient gradient = net.gradient();
        new ComputationGraphUpdater(net).update(gradient, 0, 0, net.batchSize(), LayerWorkspaceMgr.noWorkspaces());
        INDArray backprop = gradient.gradient().dup();
        MultiDataSet data = new MultiDataSet(inputs, labels, inputMasks, labelMasks);

        INDArray params = net.params();
        Map<String, double[]> sums = new LinkedHashMap<>(); // key -> {sum(g n), sum(n n)}
        double maxRel = 0;
        double maxAbs = 0;
        long index = 0;
        for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
            double[] s = sums.computeIfAbsent(e.getKey(), k -> new double[2]);
            for (long j = 0; j < e.getValue().length(); j++, index++) {
                double original = params.getDouble(index);
                params.putScalar(index, original + EPSILON);
                double plus = net.score(data, true);
                params.putScalar(index, original - EPSILON);
                double minus = net.score(data, true);
                params.putScalar(index, original);
                double numerical = (plus - minus) / (2 * EPSILON);
                double analytic = backprop.getDouble(index);
                s[0] += analytic * numerical;
                s[1] += numerical * numerical;
                double abs = Math.abs(analytic - numerical);
                maxAbs = Math.max(maxAbs, abs);
                if (abs >= MIN_ABS_ERROR) {
                    maxRel = Math.max(maxRel, abs / (Math.abs(analytic) + Math.abs(numerical)));
                }
            }
        }
        Map<String, Double> ratios = new LinkedHashMap<>();
        sums.forEach((k, s) -> ratios.put(k, s[1] == 0 ? Double.NaN : s[0] / s[1]));
        return new Report(maxRel, maxAbs, ratios);
    }

    /** Random one-hot labels [mb, classes, t] in double precision, seeded. */
    public static INDArray labels(int mb, int classes, int t, long seed) {
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, mb, classes, t);
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < mb; i++) {
            for (int j = 0; j < t; j++) {
                labels.putScalar(i, r.nextInt(classes), j, 1.0);
            }
        }
        return labels;
    }

    /** A [mb, tMax] double mask whose row i has {@code lengths[i]} leading ones. */
    public static INDArray mask(int tMax, int... lengths) {
        INDArray m = Nd4j.zeros(DataType.DOUBLE, lengths.length, tMax);
        for (int i = 0; i < lengths.length; i++) {
            for (int j = 0; j < lengths[i]; j++) {
                m.putScalar(i, j, 1.0);
            }
        }
        return m;
    }

    /**
     * Result of {@link #measure}.
     *
     * @param maxRelError largest relative error over all parameters (0 for those with absolute error below
     *                    {@value #MIN_ABS_ERROR}, as GradientCheckUtil does)
     * @param maxAbsError largest absolute error |g - n| over all parameters
     * @param ratioByParam per parameter key ("vertex_param"), backprop/numerical gradient ratio; NaN where the
     *                     numerical gradient is exactly zero
     */
    public record Report(double maxRelError, double maxAbsError, Map<String, Double> ratioByParam) {
    }
}
