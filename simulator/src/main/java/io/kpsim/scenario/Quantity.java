package io.kpsim.scenario;

import java.math.BigDecimal;

/**
 * The shared grammar of {@link Sizes} and {@link Rates}: a decimal number immediately followed by
 * a unit ({@code 4MiB}, {@code 100Mbit}); one space between number and unit is tolerated, as in
 * {@link io.kpsim.engine.Durations#parse}. Splitting is separate from unit tables so each parser
 * owns only its units and its error text.
 *
 * @param number the decimal number, never negative (a sign is a parse error)
 * @param unit the text after the number, exactly as written (possibly empty)
 */
record Quantity(BigDecimal number, String unit) {

    /**
     * Splits {@code text} into number and unit, or returns {@code null} when it does not start
     * with an unsigned decimal number ({@code 12}, {@code 1.5}, {@code .5}, {@code 1_000}).
     */
    static Quantity split(String text) {
        int i = 0;
        StringBuilder digits = new StringBuilder();
        boolean dot = false;
        boolean any = false;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
                any = true;
            } else if (c == '.' && !dot) {
                digits.append(c);
                dot = true;
            } else if (c == '_' && any) {
                // YAML 1.1 digit grouping, e.g. 1_000_000
            } else {
                break;
            }
            i++;
        }
        if (!any) {
            return null;
        }
        String unit = text.substring(i);
        if (unit.startsWith(" ") && !unit.startsWith("  ")) {
            unit = unit.substring(1);
        }
        return new Quantity(new BigDecimal(digits.toString()), unit);
    }

    /**
     * {@code number * factor} as an exact long, or -1 when it is not a whole number, or
     * {@link Long#MAX_VALUE} when it does not fit.
     */
    long times(BigDecimal factor) {
        BigDecimal product = number.multiply(factor);
        if (product.signum() != 0 && product.stripTrailingZeros().scale() > 0) {
            return -1;
        }
        if (product.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return Long.MAX_VALUE;
        }
        return product.longValueExact();
    }
}
