package org.attentionzoo.layers;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.io.File;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JSON/YAML round trips of a configuration with a {@link BiLSTM}, and ModelSerializer save/restore. */
class BiLSTMSerializationTest {

    @BeforeAll
    static void oneThread() {
        OneThread.use();
    }

    private static BiLSTM encOf(ComputationGraphConfiguration conf) {
        return (BiLSTM) ((LayerVertex) conf.getVertices().get("enc")).getLayerConf().getLayer();
    }

    private static ComputationGraphConfiguration conf(int nOut, double forgetBias) {
        return BiLstmGraphs.tagger(DataType.FLOAT, 9, 5,
                new BiLSTM.Builder().nOut(nOut).forgetGateBiasInit(forgetBias).build(), 3, new NoOp());
    }

    @Test
    void jsonAndYamlRoundTrips() {
        ComputationGraphConfiguration conf = conf(6, 0.5);
        String json = conf.toJson();
        assertTrue(json.contains(BiLSTM.class.getName()), "@class of the custom layer is recorded");
        ComputationGraphConfiguration fromJson = ComputationGraphConfiguration.fromJson(json);
        assertEquals(conf, fromJson);
        assertEquals(json, fromJson.toJson());
        BiLSTM enc = encOf(fromJson);
        assertEquals(5, enc.getNIn(), "nIn inferred from the embedding");
        assertEquals(6, enc.getNOut());
        assertEquals(0.5, enc.getForgetGateBiasInit());
        assertEquals(12, ((RnnOutputLayer) ((LayerVertex) fromJson.getVertices().get("out")).getLayerConf()
                .getLayer()).getNIn(), "output layer sees 2 nOut");
        assertEquals(conf, ComputationGraphConfiguration.fromYaml(conf.toYaml()));
        // equals must see nOut and the forget-gate bias, or the assertions above could not fail on them
        assertNotEquals(conf, conf(7, 0.5));
        assertNotEquals(conf, conf(6, 1.0));
    }

    @Test
    void modelSerializerRestoresAnIdenticalGraph(@TempDir File dir) throws IOException {
        ComputationGraph net = BiLstmGraphs.init(conf(6, 1.0));
        Nd4j.getRandom().setSeed(41);
        INDArray ids = GruGraphs.ids(DataType.FLOAT, 2, 5, 9);
        INDArray[] mask = {GruGraphs.mask(DataType.FLOAT, 5, 5, 3)};
        INDArray before = net.output(false, new INDArray[]{ids}, mask)[0];

        File file = new File(dir, "bilstm.zip");
        ModelSerializer.writeModel(net, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);

        assertEquals(net.getConfiguration(), restored.getConfiguration());
        assertEquals(net.params(), restored.params());
        INDArray after = restored.output(false, new INDArray[]{ids}, mask)[0];
        assertEquals(before, after);
    }
}
