package org.attentionzoo.examples;

import org.attentionzoo.models.ModelCard;

/** Shrinks a shipped card to the size the examples train on two cores within minutes. */
final class SmallCards {

    private SmallCards() {
    }

    /**
     * The card at embedding 64 and hidden size {@code hidden} (the Transformer: d_model = hidden, d_ff =
     * 4 · hidden), attention size hidden / 2, constant Adam 0.003, no dropout, no label smoothing.
     */
    static ModelCard resize(ModelCard shipped, String name, int hidden) {
        ModelCard.Builder b = shipped.toBuilder().name(name).embeddingSize(64).hiddenSize(hidden).dropout(0.0)
                .learningRate(0.003);
        switch (shipped.family()) {
            case ATTENTION -> b.attentionSize(hidden / 2);
            case TRANSFORMER -> b.embeddingSize(hidden).ffSize(4 * hidden).schedule("constant").labelSmoothing(0);
            default -> { }
        }
        return b.build();
    }
}
