package org.attentionzoo.layers.transformer;

import org.attentionzoo.layers.GradientChecks;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole tiny Transformer as the zoo will assemble it (ids [mb, 1, T] → embeddings → PositionalEncoding →
 * EncoderLayer; target ids → embeddings → PositionalEncoding → DecoderLayer(·, encoder) → softmax): JSON and
 * ModelSerializer round trips, one fit step, builder checks.
 */
class SerializationTest {

    @TempDir
    File dir;

    static ComputationGraph tinyTransformer(NormPosition norm) {
        int v = 7, d = 4;
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT).seed(1).updater(new Adam(1e-2))
                .graphBuilder()
                .addInputs("source", "target_in")
                .setInputTypes(InputType.recurrent(v), InputType.recurrent(v))
                .addLayer("srcemb", new EmbeddingSequenceLayer.Builder().nIn(v).nOut(d).build(), "source")
                .addLayer("srcpos", new PositionalEncoding.Builder().dModel(d).build(), "srcemb")
                .addLayer("enc1", new EncoderLayer.Builder().dModel(d).heads(2).dFF(8).normPosition(norm)
                        .finalLayerNorm(norm == NormPosition.PRE).build(), "srcpos")
                .addLayer("tgtemb", new EmbeddingSequenceLayer.Builder().nIn(v).nOut(d).build(), "target_in")
                .addLayer("tgtpos", new PositionalEncoding.Builder().dModel(d).learned(10).build(), "tgtemb")
                .addVertex("dec1", new DecoderLayer.Builder().dModel(d).heads(2).dFF(8).normPosition(norm)
                        .finalLayerNorm(norm == NormPosition.PRE).attentionBias(true)
                        .activation(FeedForwardActivation.GELU).build(), "tgtpos", "enc1")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(d).nOut(v)
                        .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build(), "dec1")
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    static INDArray ids(int mb, int t, int v, long seed) {
        java.util.Random r = new java.util.Random(seed);
        INDArray x = Nd4j.zeros(DataType.FLOAT, mb, 1, t);
        for (int i = 0; i < mb; i++) {
            for (int j = 0; j < t; j++) {
                x.putScalar(i, 0, j, r.nextInt(v));
            }
        }
        return x;
    }

    @Test
    void jsonAndModelSerializerRoundTrips() throws Exception {
        for (NormPosition norm : NormPosition.values()) {
            ComputationGraph g = tinyTransformer(norm);
            ComputationGraphConfiguration conf = g.getConfiguration();
            ComputationGraphConfiguration fromJson = ComputationGraphConfiguration.fromJson(conf.toJson());
            for (String k : conf.getVertices().keySet()) {
                assertEquals(conf.getVertices().get(k), fromJson.getVertices().get(k), k);
            }
            assertEquals(conf, fromJson);
            assertEquals(conf.getVertices().get("dec1"), fromJson.getVertices().get("dec1"));
            assertEquals(conf, ComputationGraphConfiguration.fromYaml(conf.toYaml()));

            INDArray[] in = {ids(2, 5, 7, 1), ids(2, 4, 7, 2)};
            INDArray[] masks = {GradientChecks.mask(5, 5, 3).castTo(DataType.FLOAT),
                    GradientChecks.mask(4, 4, 2).castTo(DataType.FLOAT)};
            INDArray labels = Nd4j.zeros(DataType.FLOAT, 2, 7, 4);
            labels.putScalar(0, 1, 0, 1);
            g.fit(new org.nd4j.linalg.dataset.MultiDataSet(in, new INDArray[]{labels.addi(1.0 / 7)}, masks,
                    new INDArray[]{masks[1]}));
            assertTrue(Double.isFinite(g.score()));

            File file = new File(dir, norm + ".zip");
            ModelSerializer.writeModel(g, file, true);
            ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
            assertEquals(g.params(), restored.params());
            assertEquals(g.output(false, in, masks)[0], restored.output(false, in, masks)[0]);
        }
    }

    @Test
    void buildersRejectBadSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EncoderLayer.Builder().dModel(6).heads(4).build());
        assertTrue(e.getMessage().contains("divisible"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DecoderLayer.Builder().heads(2).build());
        assertThrows(IllegalArgumentException.class, () -> new DecoderLayer.Builder().dModel(4).build());
        assertEquals(16, new EncoderLayer.Builder().dModel(4).heads(2).build().getDFF());
        assertEquals(16, new DecoderLayer.Builder().dModel(4).heads(2).build().dFF());
    }
}
