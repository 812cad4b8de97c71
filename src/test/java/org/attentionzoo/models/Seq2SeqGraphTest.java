package org.attentionzoo.models;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.*;

class Seq2SeqGraphTest {

    @Test
    void forwardShapesAndOneFitStep() {
        fitsTinyBatch(Seq2Seq.builder().embeddingSize(8).hiddenSize(16).learningRate(0.02).build());
    }

    @Test
    void labelSmoothingAndNoamScheduleTrainThroughTheSameGraph() {
        ModelCard card = Seq2Seq.builder().embeddingSize(8).hiddenSize(16).labelSmoothing(0.1)
                .schedule("noam").learningRate(2.0).warmupSteps(10).build();
        ComputationGraph g = fitsTinyBatch(card);
        var conf = org.deeplearning4j.nn.conf.ComputationGraphConfiguration.fromJson(g.getConfiguration().toJson());
        assertEquals(g.getConfiguration(), conf, "schedule and loss survive JSON");
        var layer = (org.deeplearning4j.nn.conf.layers.BaseLayer) g.getLayer("output").conf().getLayer();
        // step 5 of warm-up 10 at d_model 16: 2 · 16^-0.5 · 5 · 10^-1.5
        assertEquals(2.0 / 4 * 5 * Math.pow(10, -1.5), layer.getIUpdater().getLearningRate(4, 0), 1e-12);
    }

    private static ComputationGraph fitsTinyBatch(ModelCard card) {
        ComputationGraph g = Zoo.init(card, 7, 9);
        INDArray src = Nd4j.createFromArray(new float[][][]{{{4, 5, 6}}, {{5, 6, 0}}});
        INDArray srcMask = Nd4j.createFromArray(new float[][]{{1, 1, 1}, {1, 1, 0}});
        INDArray tin = Nd4j.createFromArray(new float[][][]{{{1, 4, 5, 0}}, {{1, 6, 7, 8}}});
        INDArray tMask = Nd4j.createFromArray(new float[][]{{1, 1, 1, 0}, {1, 1, 1, 1}});
        INDArray tout = Nd4j.createFromArray(new float[][][]{{{4, 5, 2, 0}}, {{6, 7, 8, 2}}});
        INDArray[] out = g.output(false, new INDArray[]{src, tin}, new INDArray[]{srcMask, tMask});
        assertArrayEquals(new long[]{2, 9, 4}, out[0].shape());
        assertEquals(1.0, out[0].sum(1).getDouble(0, 0), 1e-5);
        MultiDataSet mds = new MultiDataSet(new INDArray[]{src, tin}, new INDArray[]{tout},
                new INDArray[]{srcMask, tMask}, new INDArray[]{tMask});
        double before = g.score(mds);
        for (int i = 0; i < 60; i++) g.fit(mds);
        double after = g.score(mds);
        System.out.println(before + " -> " + after);
        assertTrue(after < before * 0.5, before + " -> " + after);
        return g;
    }
}
