package org.attentionzoo.layers.transformer;

import org.attentionzoo.layers.GradientChecks;
import org.attentionzoo.layers.attention.AlignmentProbe;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Causality of the decoder, padding invariance of encoder and decoder (a sentence gives the same outputs
 * alone as padded in a batch, padded steps output exactly 0), and the cross-attention alignments.
 */
class MaskingTest {

    private static final int D = 4;

    private static DecoderLayer decoder(NormPosition norm) {
        return new DecoderLayer.Builder().dModel(D).heads(2).dFF(8).normPosition(norm).build();
    }

    @Test
    void decoderOutputAtTDoesNotDependOnLaterInputs() {
        Nd4j.getRandom().setSeed(1);
        for (NormPosition norm : NormPosition.values()) {
            ComputationGraph g = TransformerGraphs.vertexAlone(decoder(norm), D);
            int tT = 5, tS = 3;
            INDArray dec = TransformerGraphs.random(2, D, tT);
            INDArray enc = TransformerGraphs.random(2, D, tS);
            INDArray[] masks = {Nd4j.ones(DataType.DOUBLE, 2, tT), Nd4j.ones(DataType.DOUBLE, 2, tS)};
            INDArray base = g.output(false, new INDArray[]{dec, enc}, masks)[0];
            for (int t = 0; t < tT; t++) {
                INDArray changed = dec.dup();
                changed.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(t, tT)).addi(3.0);
                INDArray out = g.output(false, new INDArray[]{changed, enc}, masks)[0];
                for (int s = 0; s < tT; s++) {
                    double diff = out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(s))
                            .sub(base.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(s)))
                            .amaxNumber().doubleValue();
                    if (s < t) {
                        assertEquals(0.0, diff, 0.0, norm + ": output " + s + " changed with inputs from " + t);
                    } else {
                        assertTrue(diff > 1e-6, norm + ": output " + s + " ignores its own input " + t);
                    }
                }
            }
        }
    }

    @Test
    void encoderGivesTheSameOutputsAloneAsPaddedInABatch() {
        Nd4j.getRandom().setSeed(2);
        for (NormPosition norm : NormPosition.values()) {
            EncoderLayer layer = new EncoderLayer.Builder().dModel(D).heads(2).dFF(8).normPosition(norm)
                    .finalLayerNorm(norm == NormPosition.PRE).build();
            ComputationGraph g = TransformerGraphs.layerAlone(layer, D);
            INDArray batch = TransformerGraphs.random(3, D, 6);
            INDArray mask = GradientChecks.mask(6, 6, 3, 5);
            batch.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.interval(3, 6)).assign(77.0);
            INDArray out = g.output(false, new INDArray[]{batch}, new INDArray[]{mask})[0];
            INDArray alone = batch.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.interval(0, 3)).dup();
            INDArray outAlone = g.output(false, new INDArray[]{alone}, new INDArray[]{Nd4j.ones(DataType.DOUBLE, 1, 3)})[0];
            INDArray real = out.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.interval(0, 3));
            assertEquals(0.0, real.sub(outAlone).amaxNumber().doubleValue(), 1e-12, norm.toString());
            assertEquals(0.0, out.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.interval(3, 6))
                    .amaxNumber().doubleValue(), 0.0, "padded steps output exactly 0");
        }
    }

    @Test
    void decoderGivesTheSameOutputsAloneAsPaddedAndAlignsOnlyToRealSourcePositions() {
        Nd4j.getRandom().setSeed(3);
        DecoderLayer layer = decoder(NormPosition.POST);
        ComputationGraph g = TransformerGraphs.vertexAlone(layer, D);
        INDArray dec = TransformerGraphs.random(2, D, 5);
        INDArray enc = TransformerGraphs.random(2, D, 4);
        INDArray[] masks = {GradientChecks.mask(5, 5, 2), GradientChecks.mask(4, 4, 3)};
        dec.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.interval(2, 5)).assign(-50.0);
        enc.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.interval(3, 4)).assign(50.0);
        INDArray[] in = {dec, enc};
        INDArray out = g.output(false, in, masks)[0];

        INDArray[] alone = {dec.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.interval(0, 2)).dup(),
                enc.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.interval(0, 3)).dup()};
        INDArray[] aloneMasks = {Nd4j.ones(DataType.DOUBLE, 1, 2), Nd4j.ones(DataType.DOUBLE, 1, 3)};
        INDArray outAlone = g.output(false, alone, aloneMasks)[0];
        INDArray real = out.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.interval(0, 2));
        assertEquals(0.0, real.sub(outAlone).amaxNumber().doubleValue(), 1e-12);
        assertEquals(0.0, out.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.interval(2, 5))
                .amaxNumber().doubleValue(), 0.0, "padded target steps output exactly 0");

        INDArray heads = DecoderLayer.headAlignments(g, "att", in, masks);            // [mb, h, tT, tS]
        INDArray mean = AlignmentProbe.alignments(g, "att", in, masks);               // [mb, tT, tS]
        assertEquals(4, heads.rank());
        assertEquals(2, heads.size(1));
        assertEquals(0.0, heads.mean(1).sub(mean).amaxNumber().doubleValue(), 1e-15);
        for (int t = 0; t < 5; t++) {
            for (int h = 0; h < 2; h++) {
                assertEquals(1.0, heads.get(NDArrayIndex.point(0), NDArrayIndex.point(h), NDArrayIndex.point(t),
                        NDArrayIndex.all()).sumNumber().doubleValue(), 1e-12);
                assertEquals(1.0, heads.get(NDArrayIndex.point(1), NDArrayIndex.point(h), NDArrayIndex.point(t),
                        NDArrayIndex.interval(0, 3)).sumNumber().doubleValue(), 1e-12);
                assertEquals(0.0, heads.getDouble(1, h, t, 3), 0.0, "padded source position gets weight exactly 0");
            }
        }
        INDArray headsAlone = DecoderLayer.headAlignments(g, "att", alone, aloneMasks);
        INDArray realHeads = heads.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.interval(0, 2),
                NDArrayIndex.interval(0, 3));
        assertEquals(0.0, realHeads.sub(headsAlone).amaxNumber().doubleValue(), 1e-12);
    }
}
