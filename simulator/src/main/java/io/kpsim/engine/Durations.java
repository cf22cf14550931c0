package io.kpsim.engine;

/**
 * Conversions to virtual-time nanoseconds and their human formatting.
 *
 * <p>Time is a {@code long} of nanoseconds everywhere (as ns-3's integer {@code Time}), never a
 * {@code double}: 2^63 ns is 292 years, and integer time keeps ordering exact.
 */
public final class Durations {

    /** Nanoseconds per microsecond. */
    public static final long NANOS_PER_MICRO = 1_000L;
    /** Nanoseconds per millisecond. */
    public static final long NANOS_PER_MILLI = 1_000_000L;
    /** Nanoseconds per second. */
    public static final long NANOS_PER_SECOND = 1_000_000_000L;

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
