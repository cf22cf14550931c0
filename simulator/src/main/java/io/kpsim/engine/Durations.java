package io.kpsim.engine;

import java.math.BigDecimal;

/**
 * Durations: conversions to virtual-time nanoseconds, the one way kpsim prints them
 * ({@link #format}) and the one way it reads them ({@link #parse}), so every message, report and
 * scenario file says {@code 1.5s} for the same instant and {@code parse(format(t)) == t}.
 *
 * <p>Time is a {@code long} of nanoseconds everywhere (as ns-3's integer {@code Time}), never a
 * {@code double}: 2^63 ns is 292 years, and integer time keeps ordering exact.
 *
 * <p>The text form is Go's {@code time.ParseDuration}, which Kubernetes users already type:
 * {@code 250ms}, {@code 10s}, {@code 1.5s}, {@code 100us} (or {@code µs}), {@code 2m},
 * {@code 1m30s}, {@code 1h}. A bare number other than {@code 0} is refused: is {@code 10} seconds
 * or milliseconds?
 */
public final class Durations {

    /** Nanoseconds per microsecond. */
    public static final long NANOS_PER_MICRO = 1_000L;
    /** Nanoseconds per millisecond. */
    public static final long NANOS_PER_MILLI = 1_000_000L;
    /** Nanoseconds per second. */
    public static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Nanoseconds per minute. */
    public static final long NANOS_PER_MINUTE = 60 * NANOS_PER_SECOND;
    /** Nanoseconds per hour. */
    public static final long NANOS_PER_HOUR = 60 * NANOS_PER_MINUTE;
    /** One day, the longest duration a scenario accepts anywhere. */
    public static final long ONE_DAY = 24 * NANOS_PER_HOUR;

    private static final String EXPECTED =
            "expected a number with a unit ns, us, ms, s, m or h, e.g. 250ms, 1.5s or 1m30s";

    private Durations() {}

    /** {@code us} microseconds in nanoseconds. */
    public static long micros(long us) {
        return Math.multiplyExact(us, NANOS_PER_MICRO);
    }

    /** {@code ms} milliseconds in nanoseconds. */
    public static long millis(long ms) {
        return Math.multiplyExact(ms, NANOS_PER_MILLI);
    }

    /** {@code s} seconds in nanoseconds. */
    public static long seconds(long s) {
        return Math.multiplyExact(s, NANOS_PER_SECOND);
    }

    /** Nanoseconds to transmit {@code bytes} at {@code bytesPerSecond}, rounded up. */
    public static long transmissionNanos(long bytes, long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("rate " + bytesPerSecond + " B/s is not positive");
        }
        return Math.floorDiv(Math.multiplyExact(bytes, NANOS_PER_SECOND) + bytesPerSecond - 1, bytesPerSecond);
    }

    /**
     * A duration in the largest unit that shows it exactly with at most three decimals:
     * {@code 0s}, {@code 250ms}, {@code 1.5s}, {@code 40us}, {@code 17ns}, {@code -3ms}.
     */
    public static String format(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        if (nanos == Long.MIN_VALUE) {
            return nanos + "ns";
        }
        if (nanos < 0) {
            return "-" + format(-nanos);
        }
        long[] units = {NANOS_PER_SECOND, NANOS_PER_MILLI, NANOS_PER_MICRO};
        String[] names = {"s", "ms", "us"};
        for (int u = 0; u < units.length; u++) {
            long unit = units[u];
            long thousandths = unit / 1000;
            if (nanos >= unit && nanos % thousandths == 0) {
                return decimal(nanos / thousandths) + names[u];
            }
        }
        return nanos + "ns";
    }

    /**
     * Reads a duration written as {@link #format} writes it, or as Go's {@code time.ParseDuration}
     * reads it: one or more terms of an unsigned decimal number and a unit ({@code 1m30s}); digits
     * may be grouped with {@code _} and one space may separate a number from its unit.
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
        int at = 0;
        while (at < t.length()) {
            int numberEnd = numberEnd(t, at);
            if (numberEnd == at) {
                throw new IllegalArgumentException("'" + text + "' is not a duration (" + EXPECTED + ")");
            }
            BigDecimal number = new BigDecimal(t.substring(at, numberEnd).replace("_", ""));
            int unitStart = t.startsWith(" ", numberEnd) && !t.startsWith("  ", numberEnd) ? numberEnd + 1 : numberEnd;
            String unit = unitAt(t, unitStart);
            if (unit == null) {
                String rest = t.substring(unitStart);
                String why = rest.isEmpty() ? "has no unit" : "has unknown unit '" + rest + "'";
                throw new IllegalArgumentException("duration '" + text + "' " + why + " (" + EXPECTED + ")");
            }
            BigDecimal nanos = number.multiply(BigDecimal.valueOf(nanosPer(unit)));
            if (nanos.signum() != 0 && nanos.stripTrailingZeros().scale() > 0) {
                throw new IllegalArgumentException(
                        "duration '" + text + "' is not a whole number of nanoseconds (" + EXPECTED + ")");
            }
            if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0
                    || nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE - total)) > 0) {
                throw new IllegalArgumentException("duration '" + text + "' is too long (expected at most 1 day)");
            }
            total += nanos.longValueExact();
            at = unitStart + unit.length();
        }
        return total;
    }

    /**
     * The end of the unsigned decimal starting at {@code from} ({@code 12}, {@code 1.5},
     * {@code .5}, {@code 1_000}), or {@code from} when there is no digit.
     */
    private static int numberEnd(String s, int from) {
        int i = from;
        boolean dot = false;
        boolean digit = false;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c == '.' && !dot) {
                dot = true;
            } else if (c != '_' || !digit) {
                break;
            }
            i++;
        }
        return digit ? i : from;
    }

    /** The unit at {@code from}, longest match, when the text ends or a number follows it; else null. */
    private static String unitAt(String s, int from) {
        for (String unit : new String[] {"ns", "us", "µs", "ms", "s", "m", "h"}) {
            int end = from + unit.length();
            if (s.startsWith(unit, from) && (end == s.length() || startsNumber(s.charAt(end)))) {
                return unit;
            }
        }
        return null;
    }

    private static boolean startsNumber(char c) {
        return (c >= '0' && c <= '9') || c == '.';
    }

    private static long nanosPer(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> NANOS_PER_MICRO;
            case "ms" -> NANOS_PER_MILLI;
            case "s" -> NANOS_PER_SECOND;
            case "m" -> NANOS_PER_MINUTE;
            case "h" -> NANOS_PER_HOUR;
            default -> throw new IllegalStateException("unitAt and nanosPer disagree on '" + unit + "'");
        };
    }

    /** A timestamp as seconds with nine decimals, e.g. {@code 1.000200000}. */
    public static String timestamp(long nanos) {
        String sign = nanos < 0 ? "-" : "";
        long abs = Math.abs(nanos);
        return sign + abs / NANOS_PER_SECOND + "." + String.format("%09d", abs % NANOS_PER_SECOND);
    }

    private static String decimal(long thousandths) {
        long whole = thousandths / 1000;
        long frac = thousandths % 1000;
        if (frac == 0) {
            return Long.toString(whole);
        }
        String f = String.format("%03d", frac);
        while (f.endsWith("0")) {
            f = f.substring(0, f.length() - 1);
        }
        return whole + "." + f;
    }
}
