package org.attentionzoo.layers;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JSON/YAML round trips of a configuration with a {@link GRU}, and ModelSerializer save/restore. */
class GRUSerializationTest {

    @BeforeAll
    static void oneThread() {
        OneThread.use();
    }

    private static GRU gruOf(ComputationGraphConfiguration conf) {
        return (GRU) ((LayerVertex) conf.getVertices().get("gru")).getLayerConf().getLayer();
    }

    @Test
    void jsonAndYamlRoundTrips() {
        ComputationGraphConfiguration conf = GruGraphs.tagger(DataType.FLOAT, 9, 5, 6, 3);
        String json = conf.toJson();
        assertTrue(json.contains(GRU.class.getName()), "@class of the custom layer is recorded");
        ComputationGraphConfiguration fromJson = ComputationGraphConfiguration.fromJson(json);
        assertEquals(conf, fromJson);
        assertEquals(json, fromJson.toJson());
        GRU gru = gruOf(fromJson);
        assertEquals(5, gru.getNIn(), "nIn inferred from the embedding");
        assertEquals(6, gru.getNOut());
        assertEquals(conf, ComputationGraphConfiguration.fromYaml(conf.toYaml()));
        // equals must see nOut, or the round-trip assertions above could not fail on it
        assertNotEquals(conf, GruGraphs.tagger(DataType.FLOAT, 9, 5, 7, 3));
    }

    @Test
    void modelSerializerRestoresAnIdenticalGraph(@TempDir File dir) throws IOException {
        Nd4j.getRandom().setSeed(41);
        ComputationGraph net = GruGraphs.init(GruGraphs.tagger(DataType.FLOAT, 9, 5, 6, 3));
        INDArray ids = GruGraphs.ids(DataType.FLOAT, 2, 5, 9);
        INDArray[] mask = {GruGraphs.mask(DataType.FLOAT, 5, 5, 3)};
        INDArray before = net.output(false, new INDArray[]{ids}, mask)[0];

        File file = new File(dir, "gru.zip");
        ModelSerializer.writeModel(net, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);

        assertEquals(net.getConfiguration(), restored.getConfiguration());
        assertEquals(net.params(), restored.params());
        INDArray after = restored.output(false, new INDArray[]{ids}, mask)[0];
        assertEquals(before, after);
    }
}
