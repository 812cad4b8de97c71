package org.attentionzoo.train;

import org.attentionzoo.TinyModels;
import org.attentionzoo.data.ReverseTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.models.ModelCard;
import org.attentionzoo.models.RnnAttention;
import org.attentionzoo.models.Transformer;
import org.attentionzoo.models.TranslationModel;
import org.attentionzoo.optim.GlobalNormClipping;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sharded gradients summed are the whole minibatch's, and training through {@link DataParallelGraph} leaves in
 * the original graph what {@code fit} on the original would have: parameters, Adam's moments, iteration count.
 */
class DataParallelGraphTest {

    static final ReverseTask TASK = new ReverseTask(7, 2, 5);
    static final List<SentencePair> TRAIN = TASK.generate(60, 11);

    static final ModelCard ATTENTION = RnnAttention.builder().embeddingSize(8).hiddenSize(12).attentionSize(8).build();
    static final ModelCard TRANSFORMER = Transformer.builder().embeddingSize(8).hiddenSize(8).heads(2).ffSize(16)
            .dropout(0.0).attentionDropout(0.0).build();

    private static List<MultiDataSet> batches(TranslationModel model, int size, int count) {
        var it = TrainingData.batches(model, TRAIN, size, 20, 3);
        List<MultiDataSet> out = new ArrayList<>();
        while (out.size() < count && it.hasNext()) {
            out.add(it.next());
        }
        return out;
    }

    private static double relativeDifference(INDArray a, INDArray b) {
        return a.sub(b).norm2Number().doubleValue() / b.norm2Number().doubleValue();
    }

    private static void gradientAndScoreAreTheWholeBatchs(ModelCard card, int workers, int batchSize) {
        TranslationModel model = TinyModels.untrained(card, TASK, TRAIN);
        MultiDataSet batch = batches(model, batchSize, 1).get(0);
        ComputationGraph plain = model.graph();
        plain.setInputs(batch.getFeatures());
        plain.setLabels(batch.getLabels());
        plain.setLayerMaskArrays(batch.getFeaturesMaskArrays(), batch.getLabelsMaskArrays());
        plain.computeGradientAndScore();
        INDArray expected = plain.getGradientsViewArray().dup();
        double expectedScore = plain.score();

        DataParallelGraph parallel = DataParallelGraph.of(model.graph(), workers);
        parallel.setInputs(batch.getFeatures());
        parallel.setLabels(batch.getLabels());
        parallel.setLayerMaskArrays(batch.getFeaturesMaskArrays(), batch.getLabelsMaskArrays());
        parallel.computeGradientAndScore();
        assertTrue(relativeDifference(parallel.getGradientsViewArray(), expected) < 1e-5,
                "summed shard gradients: relative difference "
                        + relativeDifference(parallel.getGradientsViewArray(), expected));
        assertEquals(expectedScore, parallel.score(), 1e-5 * Math.abs(expectedScore));
        assertEquals(batchSize, parallel.batchSize(), "the updater divides by the whole minibatch");
        assertSame(batch.getFeatures(0), parallel.getInputs()[0], "the whole minibatch is set again");
    }

    @Test
    void attentionGradientIsTheSumOfTwoShards() {
        gradientAndScoreAreTheWholeBatchs(ATTENTION, 2, 12);
    }

    @Test
    void transformerGradientIsTheSumOfThreeUnevenShards() {
        gradientAndScoreAreTheWholeBatchs(TRANSFORMER, 3, 11);   // shards of 3, 4 and 4 sentences
    }

    @Test
    void aSingleSentenceIsNotSharded() {
        gradientAndScoreAreTheWholeBatchs(ATTENTION, 2, 1);
    }

    @Test
    void trainingThroughShardsLeavesInTheGraphWhatFitWould() {
        // Two identical models: one fitted as DL4J does, one through two shards; dropout 0, so only float
        // rounding (the order of the sums) separates them.
        ModelCard card = RnnAttention.builder().embeddingSize(8).hiddenSize(12).attentionSize(8).maxGradNorm(0.5)
                .build();
        TranslationModel a = TinyModels.untrained(card, TASK, TRAIN);
        TranslationModel b = TinyModels.untrained(card, TASK, TRAIN);
        assertArrayEquals(a.graph().params().toFloatVector(), b.graph().params().toFloatVector());
        a.graph().addListeners(new GlobalNormClipping(0.5));
        GlobalNormClipping clippingB = new GlobalNormClipping(0.5);
        b.graph().addListeners(clippingB);
        GlobalNormClipping clippingA = (GlobalNormClipping) a.graph().getListeners().iterator().next();
        List<MultiDataSet> data = batches(a, 10, 5);
        INDArray start = b.graph().params().dup();
        DataParallelGraph parallel = DataParallelGraph.of(b.graph(), 2);
        for (MultiDataSet batch : data) {
            a.graph().fit(batch);
            parallel.fit(batch);
            assertEquals(a.graph().score(), parallel.score(), 1e-5 * a.graph().score());
            assertEquals(clippingA.lastNorm(), clippingB.lastNorm(), 1e-5 * clippingA.lastNorm(),
                    "the clipping listener saw the whole minibatch's per-token gradient");
        }
        assertNotEquals(0.0, relativeDifference(b.graph().params(), start), "the original graph was trained");
        assertTrue(relativeDifference(b.graph().params(), a.graph().params()) < 1e-4,
                "parameters: " + relativeDifference(b.graph().params(), a.graph().params()));
        INDArray adamA = a.graph().getUpdater().getStateViewArray();
        INDArray adamB = b.graph().getUpdater().getStateViewArray();
        assertTrue(relativeDifference(adamB, adamA) < 1e-4, "Adam's moments: " + relativeDifference(adamB, adamA));
        assertEquals(a.graph().getIterationCount(), b.graph().getIterationCount());
        assertEquals(5, b.graph().getIterationCount());
    }

    @Test
    void dropoutMasksFollowTheCallersGeneratorSoRunsRepeat() {
        ModelCard card = Transformer.builder().embeddingSize(8).hiddenSize(8).heads(2).ffSize(16).dropout(0.3)
                .attentionDropout(0.1).build();
        float[][] ends = new float[3][];
        for (int run = 0; run < 3; run++) {
            TranslationModel m = TinyModels.untrained(card, TASK, TRAIN);
            DataParallelGraph parallel = DataParallelGraph.of(m.graph(), 2);
            int step = 0;
            for (MultiDataSet batch : batches(m, 10, 3)) {
                Nd4j.getRandom().setSeed(run == 2 ? 1000 + step : 100 + step);
                parallel.fit(batch);
                step++;
            }
            ends[run] = m.graph().params().toFloatVector();
        }
        assertArrayEquals(ends[0], ends[1], "same seeds, same path, bitwise");
        assertTrue(relativeDifference(Nd4j.createFromArray(ends[2]), Nd4j.createFromArray(ends[0])) > 1e-6,
                "other seeds draw other masks");
    }

    @Test
    void oneWorkerIsRefused() {
        TranslationModel m = TinyModels.untrained(ATTENTION, TASK, TRAIN);
        assertThrows(IllegalArgumentException.class, () -> DataParallelGraph.of(m.graph(), 1));
    }

    @Test
    void trainerWithTwoWorkersLearnsAsWithOne() {
        // The trainer's own use: same steps, losses within float rounding of the one-worker run (dropout 0).
        TranslationModel one = TinyModels.untrained(ATTENTION, TASK, TRAIN);
        TranslationModel two = TinyModels.untrained(ATTENTION, TASK, TRAIN);
        TrainingSummary s1 = Trainer.builder().model(one).data(TrainingData.batches(one, TRAIN, 10, 20, 5))
                .maxSteps(12).workers(1).build().train();
        TrainingSummary s2 = Trainer.builder().model(two).data(TrainingData.batches(two, TRAIN, 10, 20, 5))
                .maxSteps(12).workers(2).build().train();
        assertEquals(12, s2.steps());
        assertEquals(s1.lastLoss(), s2.lastLoss(), 1e-4 * s1.lastLoss());
        assertTrue(relativeDifference(two.graph().params(), one.graph().params()) < 1e-4);
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder().workers(-1));
    }
}
