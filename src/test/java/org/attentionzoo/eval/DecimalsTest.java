package org.attentionzoo.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class DecimalsTest {

    @Test
    void roundsTheExactBinaryValueHalfToEvenLikePython() {
        // 0.125 and 0.375 are exact ties: half-to-even gives 0.12 and 0.38 (Python's f"{x:.2f}" prints the same)
        assertEquals("0.12", Decimals.fixed(0.125, 2));
        assertEquals("0.38", Decimals.fixed(0.375, 2));
        // 2.675 is stored as 2.67499999999999982236431605997495353221893310546875
        assertEquals("2.67", Decimals.fixed(2.675, 2));
        assertEquals("0.0", Decimals.fixed(1e-20, 1));
        assertEquals("100.00", Decimals.fixed(100, 2));
    }

    @Test
    void ignoresTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("34.12", Decimals.fixed(34.1234, 2));
        } finally {
            Locale.setDefault(saved);
        }
    }
}
