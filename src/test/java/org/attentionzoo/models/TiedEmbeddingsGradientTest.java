package org.attentionzoo.models;

import org.attentionzoo.data.CopyTask;
import org.attentionzoo.data.SentencePair;
import org.attentionzoo.data.Vocabulary;
import org.attentionzoo.layers.GradientChecks;
import org.attentionzoo.train.TrainingData;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gradient of a tied matrix is the sum of its uses: with every embedding tied ({@code all}: source embedding,
 * target embedding and the transposed output weights are one matrix E), the gradient {@link TiedEmbeddings#sumGradients}
 * leaves on the target embedding must equal the central difference of the loss with E perturbed as one, entry by
 * entry, in double precision, for each family; the copies' gradients must be zero.
 */
class TiedEmbeddingsGradientTest {

    static final CopyTask TASK = new CopyTask(6, 2, 4);
    static final List<SentencePair> PAIRS = TASK.generate(40, 11);
    static final double EPS = 1e-6;

    enum Family { SEQ2SEQ, ATTENTION, TRANSFORMER }

    static ModelCard card(Family family, ModelCard.Tie tie) {
        ModelCard.Builder b = switch (family) {
            case SEQ2SEQ -> Seq2Seq.builder();
            case ATTENTION -> RnnAttention.builder().encoder(ModelCard.Encoder.BILSTM_GRAPH);
            case TRANSFORMER -> Transformer.builder().heads(2).ffSize(16);
        };
        return b.embeddingSize(8).hiddenSize(8).gradientClip(0).tieEmbeddings(tie).seed(7).build();
    }

    /** An untrained model of one joint vocabulary (both sides tokenized by the task's tokenizers). */
    static TranslationModel model(ModelCard card) {
        Vocabulary joint = TrainingData.jointVocabulary(PAIRS, TASK.sourceTokenizer(), TASK.targetTokenizer(), 1, 1000);
        return TranslationModel.create(card, joint, joint, TASK.sourceTokenizer(), TASK.targetTokenizer());
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void gradientOfTheTiedMatrixIsTheSumOfItsUses(Family family) {
        GradientChecks.inDoublePrecision(() -> {
            TranslationModel model = model(card(family, ModelCard.Tie.ALL));
            ComputationGraph g = model.graph().convertDataType(DataType.DOUBLE);
            MultiDataSet batch = org.attentionzoo.TinyModels.doubles(TrainingData.batches(model, PAIRS, 3, 20, 3).next());
            load(g, batch);
            g.computeGradientAndScore();
            INDArray ownGradient = grad(g, GraphNames.TARGET_EMBEDDING).dup();
            TiedEmbeddings.sumGradients(g, ModelCard.Tie.ALL);
            INDArray tied = grad(g, GraphNames.TARGET_EMBEDDING).dup();
            assertEquals(0.0, grad(g, GraphNames.OUTPUT).amaxNumber().doubleValue(), 0.0);
            assertEquals(0.0, grad(g, GraphNames.SOURCE_EMBEDDING).amaxNumber().doubleValue(), 0.0);

            long mb = batch.getFeatures(0).size(0);
            INDArray e = w(g, GraphNames.TARGET_EMBEDDING);
            INDArray out = w(g, GraphNames.OUTPUT);
            INDArray src = w(g, GraphNames.SOURCE_EMBEDDING);
            double worst = 0;
            double ownWorst = 0;
            int checked = 0;
            for (int i = 0; i < e.rows(); i++) {
                for (int j = 0; j < e.columns(); j++) {
                    double x = e.getDouble(i, j);
                    set(e, out, src, i, j, x + EPS);
                    double plus = g.score(batch, false);
                    set(e, out, src, i, j, x - EPS);
                    double minus = g.score(batch, false);
                    set(e, out, src, i, j, x);
                    // DL4J's score is the loss averaged over the minibatch; its gradient is that of the sum.
                    double numeric = (plus - minus) / (2 * EPS) * mb;
                    worst = Math.max(worst, relError(tied.getDouble(i, j), numeric));
                    ownWorst = Math.max(ownWorst, relError(ownGradient.getDouble(i, j), numeric));
                    checked++;
                }
            }
            assertTrue(checked >= 8 * 9, "entries checked: " + checked);
            assertTrue(worst < GradientChecks.MAX_REL_ERROR, family + ": largest relative error " + worst);
            // Can fail: the target embedding's own gradient alone is not the tied matrix's gradient.
            assertTrue(ownWorst > 0.1, family + ": the uses' sum made no difference (" + ownWorst + ")");
            return null;
        });
    }


    static void load(ComputationGraph g, MultiDataSet b) {
        g.setInputs(b.getFeatures());
        g.setLabels(b.getLabels());
        g.setLayerMaskArrays(b.getFeaturesMaskArrays(), b.getLabelsMaskArrays());
    }

    /** E[i, j], its transposed copy W_out[j, i] and the source copy, all set to x. */
    private static void set(INDArray e, INDArray out, INDArray src, int i, int j, double x) {
        e.putScalar(i, j, x);
        out.putScalar(j, i, x);
        src.putScalar(i, j, x);
    }

    private static double relError(double a, double n) {
        double diff = Math.abs(a - n);
        return diff < GradientChecks.MIN_ABS_ERROR ? 0 : diff / (Math.abs(a) + Math.abs(n));
    }

    static INDArray w(ComputationGraph g, String layer) {
        return g.getLayer(layer).getParam("W");
    }

    static INDArray grad(ComputationGraph g, String layer) {
        var l = g.getLayer(layer);
        return l.conf().getLayer().initializer().getGradientsFromFlattened(l.conf(), l.getGradientsViewArray()).get("W");
    }
}
