package org.attentionzoo.layers;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Collections;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Why {@link GRU} unrolls its time loop instead of calling SameDiff's fused {@code sd.rnn().gru(...)}: in
 * M2.1 that op's forward pass computes the equations in GRU's Javadoc (gates [r | u | c], reset applied
 * after the recurrent product), but its backprop ({@code gru_bp}) is wrong, worst for the reset gate.
 * If the second test fails, DL4J fixed {@code gru_bp}, and GRU could go back to the fused op.
 */
class FusedGruOpBugTest {

    private static final int T = 3, MB = 2, N_IN = 2, N = 3;

    @BeforeAll
    static void oneThread() {
        OneThread.use();
    }

    @Test
    void fusedOpForwardIsTheGruOfOurJavadoc() {
        GradientChecks.inDoublePrecision(() -> {
            Nd4j.getRandom().setSeed(1);
            INDArray x = Nd4j.randn(DataType.DOUBLE, T, MB, N_IN);
            INDArray wx = Nd4j.randn(DataType.DOUBLE, N_IN, 3 * N);
            INDArray wh = Nd4j.randn(DataType.DOUBLE, N, 3 * N);
            INDArray b = Nd4j.randn(DataType.DOUBLE, 1, 3 * N);
            INDArray fused = Nd4j.exec(new org.nd4j.linalg.api.ops.impl.layers.recurrent.GRU(
                    x, Nd4j.zeros(DataType.DOUBLE, MB, N), wx, wh, b.reshape(3 * N)))[0];       // [T, mb, n]
            INDArray reference = ReferenceGru.forward(x.permute(1, 2, 0), wx, wh, b);         // [mb, n, T]
            double d = reference.sub(fused.permute(1, 2, 0)).amaxNumber().doubleValue();
            assertTrue(d < 1e-12, "max |difference| " + d);
            return null;
        });
    }

    @Test
    void fusedOpBackpropOfResetGateBiasIsWrong() {
        GradientChecks.inDoublePrecision(() -> {
            Nd4j.getRandom().setSeed(1);
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.var("x", Nd4j.rand(DataType.DOUBLE, T, MB, N_IN).subi(0.5));
            SDVariable h0 = sd.var("h0", Nd4j.zeros(DataType.DOUBLE, MB, N));
            SDVariable wx = sd.var("wx", Nd4j.rand(DataType.DOUBLE, N_IN, 3 * N).subi(0.5));
            SDVariable wh = sd.var("wh", Nd4j.rand(DataType.DOUBLE, N, 3 * N).subi(0.5));
            SDVariable b = sd.var("b", Nd4j.rand(DataType.DOUBLE, 3 * N).subi(0.5));
            SDVariable w = sd.constant("w", Nd4j.rand(DataType.DOUBLE, T, MB, N));
            SDVariable loss = sd.rnn().gru(x, h0, wx, wh, b).mul(w).sum();
            sd.setLossVariables(loss);
            INDArray backprop = sd.calculateGradients(Collections.emptyMap(), "b").get("b");

            INDArray bArr = b.getArr();
            INDArray numerical = Nd4j.zeros(DataType.DOUBLE, 3 * N);
            double eps = 1e-6;
            for (int i = 0; i < 3 * N; i++) {
                double o = bArr.getDouble(i);
                bArr.putScalar(i, o + eps);
                double plus = score(sd, loss);
                bArr.putScalar(i, o - eps);
                double minus = score(sd, loss);
                bArr.putScalar(i, o);
                numerical.putScalar(i, (plus - minus) / (2 * eps));
            }
            INDArray resetBp = backprop.get(NDArrayIndex.interval(0, N));
            INDArray resetNum = numerical.get(NDArrayIndex.interval(0, N));
            double relError = resetBp.sub(resetNum).norm2Number().doubleValue() / resetNum.norm2Number().doubleValue();
            System.out.println("fused gru_bp, reset-gate bias: backprop " + resetBp + " numerical " + resetNum);
            assertTrue(relError > 0.5, "gru_bp now right for the reset gate? relative error " + relError);
            return null;
        });
    }

    private static double score(SameDiff sd, SDVariable loss) {
        Map<String, INDArray> out = sd.output(Collections.emptyMap(), loss.name());
        return out.get(loss.name()).getDouble(0);
    }
}
