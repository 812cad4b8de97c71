package org.attentionzoo.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward pass a training step kept for its backward pass, valid only for the very input arrays it was computed
 * from: DL4J may run the backward pass after another forward pass, or with other inputs, and then the kept arrays
 * are not this input's, so the runtime must compute the gradient another way (its SameDiff graph, or the forward
 * pass again). Used by every runtime that keeps a pass ({@link KeptBiLSTM}, {@link KeptGraphVertex},
 * {@link GemmLstm}, the Transformer's encoder layer).
 *
 * @param <P> the kept pass
 */
public final class KeptForward<P> {

    private P pass;
    private INDArray[] inputs;

    /** Keeps {@code pass}, computed from {@code inputs} (the same arrays, in order, must come back to use it). */
    public void keep(P pass, INDArray... inputs) {
        this.pass = pass;
        this.inputs = inputs.clone();
    }

    /**
     * The kept pass if it was computed from these very arrays (the same objects in the same order), else null; it is
     * forgotten either way, so that a pass serves one backward pass.
     */
    public P take(INDArray... current) {
        P p = pass;
        boolean same = p != null && current != null && current.length == inputs.length;
        for (int i = 0; same && i < current.length; i++) {
            same = current[i] == inputs[i];
        }
        forget();
        return same ? p : null;
    }

    /** Forgets the kept pass (a new forward pass, or the layer cleared). */
    public void forget() {
        pass = null;
        inputs = null;
    }
}
