package org.attentionzoo.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

/**
 * Workaround for the doubled gradient of SameDiff layers and vertices in Deeplearning4j 1.0.0-M2.1.
 *
 * <h2>The bug</h2>
 * DL4J runs a {@code SameDiffLayer} (and a {@code SameDiffVertex}) by attaching an
 * {@code ExternalErrorsFunction} to the layer output {@code y}. Its {@code doDiff} registers the
 * incoming error placeholder {@code eps = dL/dy} as the gradient of {@code y} <em>and</em> returns it;
 * {@code DifferentialFunction.diff} then finds that {@code y} already has a gradient and adds the
 * returned one to it. Backprop therefore starts from {@code 2 eps} instead of {@code eps}: every parameter
 * of the layer, and (through {@code dL/dInput}) every layer below it, receives exactly twice its true
 * gradient. Adam hides a constant factor; SGD, gradient clipping and gradient checks do not.
 *
 * <h2>The fix</h2>
 * Return {@code z = h + stopGradient(h)} with {@code h = y / 2} instead of {@code y}:
 * <pre>
 *   forward:  z = y/2 + y/2 = y
 *   backward: dz/dy = 1/2      (stopGradient contributes nothing)
 *   so the doubled error 2 eps reaching z arrives at y as exactly eps.
 * </pre>
 * Call it exactly once, on the value returned from {@code defineLayer} / {@code defineVertex}. Do not call
 * it in a {@code SameDiffOutputLayer} or a plain {@code SameDiff} graph: neither uses external errors.
 * The layer case is tested; {@code SameDiffGraphVertex} builds its backprop with the same
 * {@code SameDiffUtils.externalErrors} call (read in the source), so a vertex needs it too: prove it with a
 * gradient check of the first vertex that uses it.
 *
 * <p>Proof, and the alarm for a DL4J upgrade that fixes the bug: {@code GradientFixTest} (test sources)
 * measures the ratio backprop/numerical gradient of a trivial SameDiff layer and of a built-in layer below
 * it: 2.0 without this fix, 1.0 with it. When that test starts failing on "expected 2", DL4J has fixed the
 * bug and this method must become the identity.
 */
public final class GradientFix {

    private GradientFix() {
    }

    /**
     * Returns a variable equal to {@code y} in the forward pass whose gradient reaching {@code y} is half
     * the gradient arriving at the returned variable.
     *
     * @param sd the layer's SameDiff instance
     * @param y  the layer (or vertex) output, any shape
     * @return {@code y/2 + stopGradient(y/2)}, to be returned from {@code defineLayer}/{@code defineVertex}
     */
    public static SDVariable halveGradient(SameDiff sd, SDVariable y) {
        SDVariable half = y.mul(0.5);
        SDVariable frozenHalf = new StopGradient(sd, half).outputVariable();
        return half.add(frozenHalf);
    }
}
