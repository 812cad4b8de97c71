package org.attentionzoo.layers.transformer;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.GELU;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which GELU the {@code "ffActivation": "gelu"} cards compute: libnd4j's {@code gelu} op, in SameDiff and as the
 * decoding steps call it, is Hendrycks and Gimpel's sigmoid approximation x·σ(1.702x), not the exact
 * x·Φ(x) nor the tanh approximation (PyTorch's {@code approximate='none'} and {@code 'tanh'}).
 */
class GeluFormTest {

    private static final double[] X = {-1.0, 0.5, 1.0, 2.0};

    @Test
    void libnd4jGeluIsTheSigmoidApproximation() {
        SameDiff sd = SameDiff.create();
        INDArray samediff = sd.nn().gelu("g", sd.constant("x", Nd4j.createFromArray(X))).eval();
        INDArray op = Nd4j.exec(new GELU(Nd4j.createFromArray(X), Nd4j.createFromArray(X).ulike()));
        for (int i = 0; i < X.length; i++) {
            double x = X[i];
            double sigmoidForm = x / (1 + Math.exp(-1.702 * x));
            double tanhForm = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            assertEquals(sigmoidForm, samediff.getDouble(i), 1e-6, "SameDiff gelu at " + x);
            assertEquals(sigmoidForm, op.getDouble(i), 1e-6, "the decoding steps' gelu at " + x);
            // Hand values of the other forms, to show the difference is real: GELU(1) = 0.841345 (erf), 0.841192 (tanh).
            if (x == 1.0) {
                assertEquals(0.841192, tanhForm, 1e-6);
                assertTrue(Math.abs(op.getDouble(i) - 0.841345) > 4e-3, "not the exact form");
            }
        }
    }
}
