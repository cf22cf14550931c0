package io.kpsim.scenario;

import java.math.BigDecimal;

/**
 * Human sizes in bytes: {@code 1500}, {@code 64KiB}, {@code 4MiB}, {@code 1GB}, {@code 1.5MiB}.
 * Binary units ({@code KiB MiB GiB TiB}, powers of 1024) and decimal units ({@code kB KB MB GB TB},
 * powers of 1000) as in Kubernetes quantities and {@code tc}; the result must be a whole number of
 * bytes.
 */
public final class Sizes {

    /** 1 TiB, the largest size any scenario key accepts. */
    public static final long ONE_TIB = 1L << 40;

    private static final String EXPECTED =
            "expected bytes as a whole number or with a unit B, kB, MB, GB, TB, KiB, MiB, GiB, TiB,"
                    + " e.g. 1500 or 4MiB";

    private Sizes() {}

    /**
     * Parses {@code text} to bytes.
     *
     * @throws IllegalArgumentException one line naming the text and the expected form
     */
    public static long parse(String text) {
        String t = text.strip();
        if (t.startsWith("-")) {
            throw new IllegalArgumentException("size '" + text + "' is negative (" + EXPECTED + ")");
        }
        Quantity q = Quantity.split(t);
        if (q == null) {
            throw new IllegalArgumentException("'" + text + "' is not a size (" + EXPECTED + ")");
        }
        long factor = bytesPer(q.unit());
        if (factor == 0) {
            throw new IllegalArgumentException(
                    "size '" + text + "' has unknown unit '" + q.unit() + "' (" + EXPECTED + ")");
        }
        long bytes = q.times(BigDecimal.valueOf(factor));
        if (bytes < 0) {
            throw new IllegalArgumentException("size '" + text + "' is not a whole number of bytes (" + EXPECTED + ")");
        }
        return bytes;
    }

    /** Bytes per {@code unit} (the empty unit is bytes), 0 when unknown. Shared with {@link Rates}. */
    static long bytesPer(String unit) {
        switch (unit) {
            case "":
            case "B":
                return 1L;
            case "kB":
            case "KB":
                return 1_000L;
            case "MB":
                return 1_000_000L;
            case "GB":
                return 1_000_000_000L;
            case "TB":
                return 1_000_000_000_000L;
            case "KiB":
                return 1L << 10;
            case "MiB":
                return 1L << 20;
            case "GiB":
                return 1L << 30;
            case "TiB":
                return 1L << 40;
            default:
                return 0;
        }
    }

    /** Formats bytes with the largest exact binary unit, e.g. {@code 4MiB}, {@code 1500B}. */
    public static String format(long bytes) {
        String[] names = {"TiB", "GiB", "MiB", "KiB"};
        for (int i = 0; i < names.length; i++) {
            long per = 1L << (40 - 10 * i);
            if (bytes != 0 && bytes % per == 0) {
                return bytes / per + names[i];
            }
        }
        return bytes + "B";
    }
}
