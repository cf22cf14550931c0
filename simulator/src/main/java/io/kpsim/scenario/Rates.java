package io.kpsim.scenario;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Human rates, always converted to <b>bits per second</b> (the unit of link bandwidth in
 * {@code tc}, and exact for every byte rate): {@code 1Gbit}, {@code 100Mbit}, {@code 10kbit} are
 * bits per second (decimal prefixes, case of the prefix ignored as in {@code tc}); {@code 10MiB/s},
 * {@code 50MB/s}, {@code 1500B/s} are bytes per second (any {@link Sizes} unit followed by
 * {@code /s}).
 *
 * <p>{@code tc}'s {@code mbps} means megaBYTES per second while most people read it as megabits,
 * so {@code bps}-style units are rejected with a hint instead of guessed.
 */
public final class Rates {

    /** 1 Tbit/s, the highest rate any scenario key accepts. */
    public static final long ONE_TBIT = 1_000_000_000_000L;

    private static final String EXPECTED =
            "expected bits per second like 100Mbit or 1Gbit, or bytes per second like 10MiB/s";

    private Rates() {}

    /**
     * Parses {@code text} to bits per second.
     *
     * @throws IllegalArgumentException one line naming the text and the expected form
     */
    public static long parse(String text) {
        String t = text.strip();
        if (t.startsWith("-")) {
            throw new IllegalArgumentException("rate '" + text + "' is negative (" + EXPECTED + ")");
        }
        Quantity q = Quantity.split(t);
        if (q == null) {
            throw new IllegalArgumentException("'" + text + "' is not a rate (" + EXPECTED + ")");
        }
        String unit = q.unit();
        if (unit.isEmpty()) {
            throw new IllegalArgumentException("rate '" + text + "' has no unit (" + EXPECTED + ")");
        }
        if (unit.toLowerCase(Locale.ROOT).endsWith("bps")) {
            throw new IllegalArgumentException("rate '" + text + "' is ambiguous: write "
                    + q.number().toPlainString()
                    + unit.substring(0, unit.length() - 3) + "bit for bits or "
                    + q.number().toPlainString()
                    + unit.substring(0, unit.length() - 3).toUpperCase(Locale.ROOT) + "B/s for bytes per second");
        }
        long factor = bitsPer(unit);
        if (factor == 0) {
            throw new IllegalArgumentException(
                    "rate '" + text + "' has unknown unit '" + unit + "' (" + EXPECTED + ")");
        }
        long bits = q.times(BigDecimal.valueOf(factor));
        if (bits < 0) {
            throw new IllegalArgumentException(
                    "rate '" + text + "' is not a whole number of bits per second (" + EXPECTED + ")");
        }
        return bits;
    }

    /** Formats bits per second as {@code tc} prints them, e.g. {@code 100Mbit}. */
    public static String format(long bitsPerSecond) {
        String[] names = {"Tbit", "Gbit", "Mbit", "kbit"};
        long per = 1_000_000_000_000L;
        for (String name : names) {
            if (bitsPerSecond != 0 && bitsPerSecond % per == 0) {
                return bitsPerSecond / per + name;
            }
            per /= 1000;
        }
        return bitsPerSecond + "bit";
    }

    private static long bitsPer(String unit) {
        if (unit.endsWith("/s")) {
            String size = unit.substring(0, unit.length() - 2);
            long bytes = size.isEmpty() ? 0 : Sizes.bytesPer(size);
            return bytes > Long.MAX_VALUE / 8 ? 0 : bytes * 8;
        }
        switch (unit.toLowerCase(Locale.ROOT)) {
            case "bit":
                return 1L;
            case "kbit":
                return 1_000L;
            case "mbit":
                return 1_000_000L;
            case "gbit":
                return 1_000_000_000L;
            case "tbit":
                return 1_000_000_000_000L;
            default:
                return 0;
        }
    }
}
