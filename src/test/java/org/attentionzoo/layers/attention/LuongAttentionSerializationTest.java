package org.attentionzoo.layers.attention;

import org.attentionzoo.layers.GradientChecks;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LuongAttentionSerializationTest {

    @TempDir
    File dir;

    @Test
    void jsonAndModelSerializerRoundTrips() throws Exception {
        roundTrips(new LuongAttention.Builder().decoderSize(4).encoderSize(4).outputSize(3)
                .attentionSize(5).score(ScoreType.CONCAT).build());
    }

    @Test
    void localAttentionRoundTrips() throws Exception {
        LuongAttention vertex = new LuongAttention.Builder().decoderSize(4).encoderSize(4).outputSize(3)
                .attentionSize(5).score(ScoreType.GENERAL).span(AttentionSpan.LOCAL_P).window(1).build();
        assertEquals(AttentionSpan.LOCAL_P, vertex.span());
        assertEquals(1, vertex.window());
        roundTrips(vertex);
    }

    /** A global vertex writes neither span nor window: its JSON is that of the models saved before local attention. */
    @Test
    void globalAttentionWritesNoSpan() {
        LuongAttention vertex = new LuongAttention.Builder().decoderSize(4).encoderSize(4).outputSize(3).build();
        String json = AttentionGraphs.withLayersAround(vertex, 2, 3, 4, 4, 3, 2, 1).getConfiguration().toJson();
        assertTrue(json.contains("\"score\""), json);
        assertFalse(json.contains("\"span\"") || json.contains("\"window\""), json);
        assertEquals(AttentionSpan.GLOBAL, vertex.span());
    }

    private void roundTrips(LuongAttention vertex) throws Exception {
        ComputationGraph g = AttentionGraphs.withLayersAround(vertex, 2, 3, 4, 4, 3, 2, 1);
        ComputationGraphConfiguration conf = g.getConfiguration();
        ComputationGraphConfiguration fromJson = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(vertex, fromJson.getVertices().get("att"));
        assertEquals(conf, fromJson);

        File file = new File(dir, "g.zip");
        ModelSerializer.writeModel(g, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
        INDArray[] in = {Nd4j.rand(DataType.DOUBLE, 2, 2, 3), Nd4j.rand(DataType.DOUBLE, 2, 3, 4)};
        INDArray[] masks = {Nd4j.ones(DataType.DOUBLE, 2, 3), GradientChecks.mask(4, 4, 2)};
        assertEquals(g.output(false, in, masks)[0], restored.output(false, in, masks)[0]);
        assertEquals(g.params(), restored.params());
    }
}
