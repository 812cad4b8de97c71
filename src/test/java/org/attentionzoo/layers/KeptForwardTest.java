package org.attentionzoo.layers;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A kept pass serves one backward pass, and only of the very arrays it was computed from. */
class KeptForwardTest {

    private final INDArray a = Nd4j.zeros(2, 3);
    private final INDArray b = Nd4j.ones(2, 3);

    @Test
    void theSameArraysGetThePassOnce() {
        KeptForward<String> kept = new KeptForward<>();
        kept.keep("pass", a, b);
        assertSame("pass", kept.take(a, b));
        assertNull(kept.take(a, b), "a pass serves one backward pass");
    }

    @Test
    void equalButOtherArraysAnotherOrderOrCountGetNone() {
        KeptForward<String> kept = new KeptForward<>();
        kept.keep("pass", a);
        assertNull(kept.take(a.dup()), "equal values, another array");
        kept.keep("pass", a, b);
        assertNull(kept.take(b, a), "another order");
        kept.keep("pass", a, b);
        assertNull(kept.take(a), "another count");
        kept.keep("pass", a);
        assertNull(kept.take((INDArray[]) null), "no inputs");
    }

    @Test
    void forgetAndAnotherKeepReplaceThePass() {
        KeptForward<String> kept = new KeptForward<>();
        kept.keep("pass", a);
        kept.forget();
        assertNull(kept.take(a));
        kept.keep("first", a);
        kept.keep("second", b);
        assertNull(kept.take(a), "only the last pass is kept");
    }
}
