package scratch;

import org.attentionzoo.layers.attention.AttentionDecoder;
import org.attentionzoo.layers.attention.LuongAttention;
import org.attentionzoo.layers.attention.ScoreType;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fit speed, one thread: batch 64 x 20 source and 20 target tokens, embeddings 128, hidden 256, vocabulary
 * 1000, built-in LSTM encoder; decoder side LSTM + LuongAttention (no input feeding) vs AttentionDecoder.
 * Models are timed in interleaved rounds; only ratios within one run mean anything on a shared machine.
 * Run: mvn -q test -Dtest=DecoderSpeedScratch
 */
class DecoderSpeedScratch {

    private static final int MB = 64, T = 20, EMB = 128, HIDDEN = 256, VOCAB = 1000, ROUNDS = 3, FITS = 4;

    @Test
    void time() {
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
        Map<String, ComputationGraph> models = new LinkedHashMap<>();
        models.put("LSTM + LuongAttention(general)", model(null));
        models.put("AttentionDecoder LUONG_INPUT_FEEDING general", model(new AttentionDecoder.Builder()
                .style(AttentionDecoder.Style.LUONG_INPUT_FEEDING).score(ScoreType.GENERAL)
                .embeddingSize(EMB).encoderSize(HIDDEN).hiddenSize(HIDDEN).build()));
        models.put("AttentionDecoder BAHDANAU additive", model(new AttentionDecoder.Builder()
                .style(AttentionDecoder.Style.BAHDANAU).score(ScoreType.ADDITIVE)
                .embeddingSize(EMB).encoderSize(HIDDEN).hiddenSize(HIDDEN).build()));
        models.put("AttentionDecoder BAHDANAU general", model(new AttentionDecoder.Builder()
                .style(AttentionDecoder.Style.BAHDANAU).score(ScoreType.GENERAL)
                .embeddingSize(EMB).encoderSize(HIDDEN).hiddenSize(HIDDEN).build()));
        MultiDataSet batch = batch();
        Map<String, double[]> times = new LinkedHashMap<>();
        models.forEach((name, g) -> {
            long t0 = System.nanoTime();
            g.fit(batch);
            System.out.printf("%-46s first fit (graph build) %.0f ms%n", name, (System.nanoTime() - t0) / 1e6);
            g.fit(batch);
            times.put(name, new double[ROUNDS * FITS]);
        });
        for (int r = 0; r < ROUNDS; r++) {
            for (Map.Entry<String, ComputationGraph> e : models.entrySet()) {
                for (int i = 0; i < FITS; i++) {
                    long t0 = System.nanoTime();
                    e.getValue().fit(batch);
                    times.get(e.getKey())[r * FITS + i] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        times.forEach((name, t) -> {
            double[] sorted = t.clone();
            Arrays.sort(sorted);
            System.out.printf("%-46s fit ms/batch: min %.0f median %.0f max %.0f%n", name, sorted[0],
                    sorted[sorted.length / 2], sorted[sorted.length - 1]);
        });
    }

    private static ComputationGraph model(AttentionDecoder decoder) {
        var b = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT).seed(3).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("src", "tgtIn")
                .setInputTypes(InputType.recurrent(VOCAB), InputType.recurrent(VOCAB))
                .addLayer("srcEmb", new EmbeddingSequenceLayer.Builder().nIn(VOCAB).nOut(EMB).build(), "src")
                .addLayer("encoder", new LSTM.Builder().nOut(HIDDEN).activation(Activation.TANH).build(), "srcEmb")
                .addLayer("tgtEmb", new EmbeddingSequenceLayer.Builder().nIn(VOCAB).nOut(EMB).build(), "tgtIn");
        if (decoder == null) {
            b.addLayer("decRnn", new LSTM.Builder().nOut(HIDDEN).activation(Activation.TANH).build(), "tgtEmb")
                    .addVertex("decoder", new LuongAttention.Builder().decoderSize(HIDDEN).encoderSize(HIDDEN)
                            .score(ScoreType.GENERAL).build(), "decRnn", "encoder");
        } else {
            b.addVertex("decoder", decoder, "tgtEmb", "encoder");
        }
        ComputationGraphConfiguration conf = b
                .addLayer("out", new RnnOutputLayer.Builder().lossFunction(new LossSparseMCXENT()).nOut(VOCAB)
                        .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build(), "decoder")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static MultiDataSet batch() {
        Nd4j.getRandom().setSeed(1);
        INDArray src = Nd4j.randomBernoulli(0.5, MB, 1, T).castTo(DataType.FLOAT).muli(0); // filled below
        INDArray tgtIn = src.dup(), labels = src.dup();
        java.util.Random r = new java.util.Random(1);
        for (int b = 0; b < MB; b++) {
            for (int t = 0; t < T; t++) {
                src.putScalar(b, 0, t, 4 + r.nextInt(VOCAB - 4));
                tgtIn.putScalar(b, 0, t, 4 + r.nextInt(VOCAB - 4));
                labels.putScalar(b, 0, t, 4 + r.nextInt(VOCAB - 4));
            }
        }
        INDArray mask = Nd4j.ones(DataType.FLOAT, MB, T);
        return new MultiDataSet(new INDArray[]{src, tgtIn}, new INDArray[]{labels}, new INDArray[]{mask, mask.dup()},
                new INDArray[]{mask.dup()});
    }
}
