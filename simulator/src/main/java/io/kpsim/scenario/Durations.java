package io.kpsim.scenario;

import java.math.BigDecimal;

/**
 * Human durations such as {@code 250ms}, {@code 10s}, {@code 1.5s}, {@code 100us}, {@code 2m},
 * {@code 1m30s}, in the style of Go's {@code time.ParseDuration} that Kubernetes users already
 * type, converted to the engine's clock: {@code long} nanoseconds.
 *
 * <p>Units: {@code ns}, {@code us} (or {@code µs}), {@code ms}, {@code s}, {@code m}, {@code h}.
 * A bare number is rejected (is {@code 10} seconds or milliseconds?) except {@code 0}.
 */
public final class Durations {

    /** One day in nanoseconds, the longest duration any scenario key accepts. */
    public static final long ONE_DAY = 86_400_000_000_000L;

    private static final String EXPECTED =
            "expected a number with a unit ns, us, ms, s, m or h, e.g. 250ms, 1.5s or 1m30s";

    private Durations() {}

    /**
     * Parses {@code text} to nanoseconds.
     *
     * @throws IllegalArgumentException one line naming the text and the expected form
     */
    public static long parse(String text) {
        String t = text.strip();
        if (t.equals("0")) {
            return 0;
        }
        if (t.startsWith("-")) {
            throw new IllegalArgumentException("duration '" + text + "' is negative (" + EXPECTED + ")");
        }
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty duration (" + EXPECTED + ")");
        }
        long total = 0;
        String rest = t;
        while (!rest.isEmpty()) {
            Quantity q = Quantity.split(rest);
            if (q == null) {
                throw new IllegalArgumentException("'" + text + "' is not a duration (" + EXPECTED + ")");
            }
            int unitLength = unitLength(q.unit());
            if (unitLength == 0) {
                String why = q.unit().isEmpty() ? "has no unit" : "has unknown unit '" + q.unit() + "'";
                throw new IllegalArgumentException("duration '" + text + "' " + why + " (" + EXPECTED + ")");
            }
            String unit = q.unit().substring(0, unitLength);
            long nanos = q.times(BigDecimal.valueOf(nanosPer(unit)));
            if (nanos < 0) {
                throw new IllegalArgumentException(
                        "duration '" + text + "' is not a whole number of nanoseconds (" + EXPECTED + ")");
            }
            if (nanos == Long.MAX_VALUE || total > Long.MAX_VALUE - nanos) {
                throw new IllegalArgumentException("duration '" + text + "' is too long (expected at most 1 day)");
            }
            total += nanos;
            rest = q.unit().substring(unitLength);
        }
        return total;
    }

    /** Formats nanoseconds the way {@link #parse} reads them, choosing the largest exact unit. */
    public static String format(long nanos) {
        long[] per = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
        String[] names = {"h", "m", "s", "ms", "us"};
        for (int i = 0; i < per.length; i++) {
            if (nanos != 0 && nanos % per[i] == 0) {
                return nanos / per[i] + names[i];
            }
        }
        return nanos + "ns";
    }

    /** Length of the unit at the start of {@code s} (longest match), 0 when none. */
    private static int unitLength(String s) {
        for (String unit : new String[] {"ns", "us", "µs", "ms", "s", "m", "h"}) {
            if (s.startsWith(unit) && (s.length() == unit.length() || startsNumber(s.substring(unit.length())))) {
                return unit.length();
            }
        }
        return 0;
    }

    private static boolean startsNumber(String s) {
        char c = s.charAt(0);
        return (c >= '0' && c <= '9') || c == '.';
    }

    private static long nanosPer(String unit) {
        switch (unit) {
            case "ns":
                return 1L;
            case "us":
            case "µs":
                return 1_000L;
            case "ms":
                return 1_000_000L;
            case "s":
                return 1_000_000_000L;
            case "m":
                return 60_000_000_000L;
            case "h":
                return 3_600_000_000_000L;
            default:
                throw new IllegalStateException("unit table and unitLength disagree on '" + unit + "'");
        }
    }
}
