package org.attentionzoo.eval;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Fixed-point formatting as Python's {@code f"{x:.Nf}"} does it: the exact binary value of the double rounded
 * half-to-even, independent of the default locale. ({@code String.format("%.2f")} can differ on ties and uses the
 * locale's decimal separator.)
 */
final class Decimals {

    private Decimals() {
    }

    static String fixed(double x, int places) {
        if (!Double.isFinite(x)) {
            return Double.isNaN(x) ? "nan" : (x > 0 ? "inf" : "-inf");
        }
        return new BigDecimal(x).setScale(places, RoundingMode.HALF_EVEN).toPlainString();
    }
}
