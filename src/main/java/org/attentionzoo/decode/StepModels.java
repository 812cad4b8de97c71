package org.attentionzoo.decode;

import org.attentionzoo.decode.step.StepModel;
import org.attentionzoo.decode.incremental.AttentionDecoderSteps;
import org.attentionzoo.decode.incremental.IncrementalStepModel;
import org.attentionzoo.decode.incremental.LuongAttentionSteps;
import org.attentionzoo.decode.incremental.Seq2SeqSteps;
import org.attentionzoo.decode.incremental.TransformerSteps;
import org.attentionzoo.models.ModelCard;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Picks the {@link StepModel} for a model: the cached one of its family (encoder once per sentence, one
 * decoder step per generated token, see {@link org.attentionzoo.decode.incremental.IncrementalDecoder})
 * when there is one, else {@link GraphStepModel}, which runs the whole graph on every prefix.
 */
public final class StepModels {

    private StepModels() {
    }

    /** The fastest step model for this card's graph. */
    public static StepModel of(ModelCard card, ComputationGraph graph) {
        if (Seq2SeqSteps.supports(card)) {
            return new IncrementalStepModel(new Seq2SeqSteps(card, graph));
        }
        if (LuongAttentionSteps.supports(card)) {
            return new IncrementalStepModel(new LuongAttentionSteps(card, graph));
        }
        if (AttentionDecoderSteps.supports(card)) {
            return new IncrementalStepModel(new AttentionDecoderSteps(card, graph));
        }
        if (TransformerSteps.supports(card)) {
            return new IncrementalStepModel(new TransformerSteps(card, graph));
        }
        return new GraphStepModel(graph);
    }

    /** {@link #of} when {@code cached}, else {@link GraphStepModel}. */
    public static StepModel of(ModelCard card, ComputationGraph graph, boolean cached) {
        return cached ? of(card, graph) : new GraphStepModel(graph);
    }
}
