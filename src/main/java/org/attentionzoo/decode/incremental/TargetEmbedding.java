package org.attentionzoo.decode.incremental;

import org.attentionzoo.layers.transformer.PositionalEncoding;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * A Transformer's input at one position t, for one token per row (the decoder's, or the encoder's with the
 * source-side layers): the embedding (an
 * {@link TokenEmbedding}: row y of its table E) scaled by
 * √d_model, plus the position encoding of t (Vaswani et al. 2017, sections 3.4 and 3.5):
 * <pre>
 *   x_t = √d_model · E[y_t] + PE[t]
 *   sinusoidal:  PE(t, 2i) = sin(t / 10000^(2i / d_model)),   PE(t, 2i+1) = cos(t / 10000^(2i / d_model))
 *   learned:     PE[t] = row t of the layer's parameter {@value PositionalEncoding#POSITIONS}
 * </pre>
 * exactly as the graph's embedding and {@link PositionalEncoding} layers compute it (dropout after them is
 * the identity at inference). Positions count from 0 at BOS.
 */
final class TargetEmbedding {

    private final TokenEmbedding table;
    private final PositionalEncoding positions;
    private final INDArray learnedPositions;
    private final DataType type;
    /** Sinusoidal PE rows computed so far, index t. */
    private final List<INDArray> sinusoids = new ArrayList<>();

    /**
     * @param embeddingName the EmbeddingSequenceLayer's vertex name
     * @param positionsName the PositionalEncoding layer's vertex name
     */
    TargetEmbedding(ComputationGraph graph, String embeddingName, String positionsName) {
        if (!(GraphLayers.layerConf(graph, positionsName) instanceof PositionalEncoding pe)) {
            throw new IllegalArgumentException("\"" + positionsName + "\" is not a PositionalEncoding layer");
        }
        this.table = new TokenEmbedding(graph, embeddingName);
        this.positions = pe;
        this.learnedPositions = pe.isLearned()
                ? GraphLayers.param(graph.getLayer(positionsName).paramTable(), PositionalEncoding.POSITIONS) : null;
        this.type = table.dataType();
    }

    long dModel() {
        return positions.getDModel();
    }

    /**
     * @param tokens one token id per row
     * @param t      the position of every row (0 for BOS)
     * @return x_t [n, d_model]
     */
    INDArray embed(int[] tokens, int t) {
        INDArray e = table.lookup(tokens);                                             // [n, d_model]
        INDArray x = positions.isScaled() ? e.muli(Math.sqrt(dModel())) : e;
        return x.addiRowVector(encoding(t));
    }

    /** PE[t] as [1, d_model]. */
    private INDArray encoding(int t) {
        if (learnedPositions != null) {
            if (t >= positions.getMaxLength()) {
                throw new IllegalArgumentException("the model has learned positions for " + positions.getMaxLength()
                        + " steps (on the target side BOS included); position " + (t + 1) + " is beyond them: limit the"
                        + " sequence length");
            }
            return learnedPositions.getRow(t, true);
        }
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {  // cached across steps
            if (sinusoids.size() <= t) {                   // the table grows by doubling: one computation per doubling
                int length = Math.max(t + 1, 2 * sinusoids.size());
                INDArray table = PositionalEncoding.sinusoids(dModel(), length, type);       // [d_model, length]
                for (int p = sinusoids.size(); p < length; p++) {
                    sinusoids.add(table.getColumn(p).reshape(1, dModel()).dup());
                }
            }
        }
        return sinusoids.get(t);
    }
}
