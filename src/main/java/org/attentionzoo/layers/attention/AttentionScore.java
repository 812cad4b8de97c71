package org.attentionzoo.layers.attention;

import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * An attention score function e = score(query, key): how well each source state (key) h̄_s matches
 * a decoder state (query) h_t. The softmax of the scores over the source gives the alignment weights.
 *
 * <p>Shapes (batch-major, time in the middle): queries {@code [mb, tQ, dQ]}, keys {@code [mb, tK, dK]},
 * scores {@code [mb, tQ, tK]}. Work that depends only on the keys (such as W_a h̄_s) is done once in
 * {@link #prepareKeys} and reused for every query, which matters when the queries come one step at a
 * time inside a recurrent decoder.
 *
 * <p>Each function is written twice, side by side: in SameDiff, for the graphs, and in eager INDArray
 * math with the same shapes, for decoding one target step at a time from cached encoder states
 * ({@code org.attentionzoo.decode.incremental}). The two compute the same function; the incremental
 * decoders' tests compare them through whole models.
 *
 * <p>Implementations are stateless apart from their sizes; their parameters live in the enclosing
 * layer's parameter table. Keys contain no underscore: DL4J splits "vertex_param" at the underscore.
 */
public interface AttentionScore {

    /** Declares this score's parameters on the enclosing layer. */
    void defineParameters(SDLayerParams params);

    /** Initialises this score's parameters (the map holds views into the layer's parameters). */
    void initializeParameters(Map<String, INDArray> params);

    /**
     * Key-side precomputation, once per source sentence.
     *
     * @param keys [mb, tK, dK]
     * @return what {@link #scores} needs of the keys (the keys themselves for the dot score)
     */
    SDVariable prepareKeys(SameDiff sd, SDVariable keys, Map<String, SDVariable> params);

    /**
     * @param queries      [mb, tQ, dQ]
     * @param preparedKeys the result of {@link #prepareKeys}
     * @return scores e [mb, tQ, tK]
     */
    SDVariable scores(SameDiff sd, SDVariable queries, SDVariable preparedKeys, Map<String, SDVariable> params);

    /**
     * {@link #prepareKeys(SameDiff, SDVariable, Map)} on arrays.
     *
     * @param keys   [mb, tK, dK]
     * @param params the enclosing layer's parameter table
     */
    INDArray prepareKeys(INDArray keys, Map<String, INDArray> params);

    /**
     * {@link #scores(SameDiff, SDVariable, SDVariable, Map)} on arrays.
     *
     * @param queries      [mb, tQ, dQ]
     * @param preparedKeys the result of {@link #prepareKeys(INDArray, Map)}
     * @return scores e [mb, tQ, tK]
     */
    INDArray scores(INDArray queries, INDArray preparedKeys, Map<String, INDArray> params);
}
