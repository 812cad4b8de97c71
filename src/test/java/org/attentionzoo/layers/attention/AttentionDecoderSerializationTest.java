package org.attentionzoo.layers.attention;

import org.attentionzoo.layers.GradientChecks;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AttentionDecoderSerializationTest {

    @TempDir
    File dir;

    @ParameterizedTest
    @EnumSource(AttentionDecoder.Style.class)
    void jsonAndModelSerializerRoundTrips(AttentionDecoder.Style style) throws Exception {
        AttentionDecoder vertex = new AttentionDecoder.Builder().style(style).score(ScoreType.CONCAT).embeddingSize(4)
                .encoderSize(5).hiddenSize(3).outputSize(2).attentionSize(6).build();
        ComputationGraph g = AttentionGraphs.withLayersAround(vertex, 2, 3, 4, 5, 2, 2, 1);
        ComputationGraphConfiguration conf = g.getConfiguration();
        ComputationGraphConfiguration fromJson = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(vertex, fromJson.getVertices().get("att"));
        assertEquals(conf, fromJson);
        assertEquals(vertex, vertex.clone());

        File file = new File(dir, "g.zip");
        ModelSerializer.writeModel(g, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
        INDArray[] in = {Nd4j.rand(DataType.DOUBLE, 2, 2, 3), Nd4j.rand(DataType.DOUBLE, 2, 3, 4)};
        INDArray[] masks = {GradientChecks.mask(3, 3, 2), GradientChecks.mask(4, 4, 2)};
        assertEquals(g.output(false, in, masks)[0], restored.output(false, in, masks)[0]);
        assertEquals(AlignmentProbe.alignments(g, "att", in, masks), AlignmentProbe.alignments(restored, "att", in, masks));
        assertEquals(g.params(), restored.params());
    }

    @org.junit.jupiter.api.Test
    void builderSaysWhatIsMissing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AttentionDecoder.Builder().embeddingSize(4).encoderSize(5).build());
        assertEquals(true, e.getMessage().contains(".hiddenSize(n)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AttentionDecoder.Builder().embeddingSize(4)
                .encoderSize(5).hiddenSize(3).score(ScoreType.DOT).build(), "dot needs hiddenSize == encoderSize");
        AttentionDecoder defaults = new AttentionDecoder.Builder().embeddingSize(4).encoderSize(5).hiddenSize(3).build();
        assertEquals(AttentionDecoder.Style.BAHDANAU, defaults.style());
        assertEquals(ScoreType.ADDITIVE, defaults.scoreType());
        assertEquals(3, defaults.outputSize());
        assertEquals(ScoreType.GENERAL, new AttentionDecoder.Builder().style(AttentionDecoder.Style.LUONG_INPUT_FEEDING)
                .embeddingSize(4).encoderSize(5).hiddenSize(3).build().scoreType());
    }
}
