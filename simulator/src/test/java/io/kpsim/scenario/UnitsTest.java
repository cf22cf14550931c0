package io.kpsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kpsim.engine.Durations;
import org.junit.jupiter.api.Test;

/** {@link Durations}, {@link Sizes} and {@link Rates}: the human units of the scenario format. */
class UnitsTest {

    @Test
    void durations() {
        assertEquals(250_000_000L, Durations.parse("250ms"));
        assertEquals(10_000_000_000L, Durations.parse("10s"));
        assertEquals(1_500_000_000L, Durations.parse("1.5s"));
        assertEquals(100_000L, Durations.parse("100us"));
        assertEquals(100_000L, Durations.parse("100µs"));
        assertEquals(120_000_000_000L, Durations.parse("2m"));
        assertEquals(90_000_000_000L, Durations.parse("1m30s"));
        assertEquals(3_600_000_000_000L, Durations.parse("1h"));
        assertEquals(7L, Durations.parse("7ns"));
        assertEquals(500_000_000L, Durations.parse(".5s"));
        assertEquals(0L, Durations.parse("0"));
        assertEquals(1_000_000L, Durations.parse(" 1 ms "));
    }

    @Test
    void durationErrorsSayWhatIsWrong() {
        assertEquals(
                "duration '10' has no unit (expected a number with a unit ns, us, ms, s, m or h, e.g. 250ms,"
                        + " 1.5s or 1m30s)",
                message(() -> Durations.parse("10")));
        assertEquals(
                "duration '10sec' has unknown unit 'sec' (expected a number with a unit ns, us, ms, s, m or h,"
                        + " e.g. 250ms, 1.5s or 1m30s)",
                message(() -> Durations.parse("10sec")));
        assertEquals(
                "duration '-1s' is negative (expected a number with a unit ns, us, ms, s, m or h, e.g. 250ms,"
                        + " 1.5s or 1m30s)",
                message(() -> Durations.parse("-1s")));
        assertEquals(
                "duration '0.5ns' is not a whole number of nanoseconds (expected a number with a unit ns, us,"
                        + " ms, s, m or h, e.g. 250ms, 1.5s or 1m30s)",
                message(() -> Durations.parse("0.5ns")));
        assertEquals(
                "'fast' is not a duration (expected a number with a unit ns, us, ms, s, m or h, e.g. 250ms,"
                        + " 1.5s or 1m30s)",
                message(() -> Durations.parse("fast")));
        assertEquals(
                "duration '99999999999999h' is too long (expected at most 1 day)",
                message(() -> Durations.parse("99999999999999h")));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("1m30"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(""));
    }

    @Test
    void durationFormatRoundTrips() {
        assertEquals("250ms", Durations.format(250_000_000L));
        assertEquals("86400s", Durations.format(Durations.ONE_DAY));
        assertEquals("1.5ms", Durations.format(1_500_000L));
        assertEquals("7ns", Durations.format(7));
        assertEquals("0s", Durations.format(0));
        for (long nanos : new long[] {0, 1, 999, 1_000, 1_001, 1_234_567, 1_000_000_001L, 90_000_000_000L}) {
            assertEquals(nanos, Durations.parse(Durations.format(nanos)));
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (int i = 0; i < 10_000; i++) {
            long nanos = random.nextLong(Durations.ONE_DAY + 1);
            assertEquals(nanos, Durations.parse(Durations.format(nanos)), Durations.format(nanos));
        }
    }

    @Test
    void sizes() {
        assertEquals(1500L, Sizes.parse("1500"));
        assertEquals(1500L, Sizes.parse("1500B"));
        assertEquals(64L * 1024, Sizes.parse("64KiB"));
        assertEquals(4L << 20, Sizes.parse("4MiB"));
        assertEquals(1_000_000_000L, Sizes.parse("1GB"));
        assertEquals(1_000L, Sizes.parse("1kB"));
        assertEquals(1_000L, Sizes.parse("1KB"));
        assertEquals(1536L, Sizes.parse("1.5KiB"));
        assertEquals(1L << 40, Sizes.parse("1TiB"));
        assertEquals(1_000_000L, Sizes.parse("1_000_000"));
        assertEquals(4L << 20, Sizes.parse("4 MiB"));
    }

    @Test
    void sizeErrorsSayWhatIsWrong() {
        assertEquals(
                "size '4mb' has unknown unit 'mb' (expected bytes as a whole number or with a unit B, kB, MB, GB,"
                        + " TB, KiB, MiB, GiB, TiB, e.g. 1500 or 4MiB)",
                message(() -> Sizes.parse("4mb")));
        assertEquals(
                "size '1.3B' is not a whole number of bytes (expected bytes as a whole number or with a unit B,"
                        + " kB, MB, GB, TB, KiB, MiB, GiB, TiB, e.g. 1500 or 4MiB)",
                message(() -> Sizes.parse("1.3B")));
        assertEquals(
                "size '-4MiB' is negative (expected bytes as a whole number or with a unit B, kB, MB, GB, TB,"
                        + " KiB, MiB, GiB, TiB, e.g. 1500 or 4MiB)",
                message(() -> Sizes.parse("-4MiB")));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("MiB"));
        assertEquals(Long.MAX_VALUE, Sizes.parse("99999999999999999999TiB"), "saturates so the range check reports it");
    }

    @Test
    void rates() {
        assertEquals(1_000_000_000L, Rates.parse("1Gbit"));
        assertEquals(100_000_000L, Rates.parse("100Mbit"));
        assertEquals(100_000_000L, Rates.parse("100mbit"));
        assertEquals(10_000L, Rates.parse("10kbit"));
        assertEquals(64L, Rates.parse("64bit"));
        assertEquals(10L * 1024 * 1024 * 8, Rates.parse("10MiB/s"));
        assertEquals(50_000_000L * 8, Rates.parse("50MB/s"));
        assertEquals(1500L * 8, Rates.parse("1500B/s"));
        assertEquals(1_500L, Rates.parse("1.5kbit"));
    }

    @Test
    void rateErrorsSayWhatIsWrong() {
        assertEquals(
                "rate '100Mbps' is ambiguous: write 100Mbit for bits or 100MB/s for bytes per second",
                message(() -> Rates.parse("100Mbps")));
        assertEquals(
                "rate '100' has no unit (expected bits per second like 100Mbit or 1Gbit, or bytes per second"
                        + " like 10MiB/s)",
                message(() -> Rates.parse("100")));
        assertEquals(
                "rate '1Gb' has unknown unit 'Gb' (expected bits per second like 100Mbit or 1Gbit, or bytes per"
                        + " second like 10MiB/s)",
                message(() -> Rates.parse("1Gb")));
        assertEquals(
                "rate '0.5bit' is not a whole number of bits per second (expected bits per second like 100Mbit"
                        + " or 1Gbit, or bytes per second like 10MiB/s)",
                message(() -> Rates.parse("0.5bit")));
        assertThrows(IllegalArgumentException.class, () -> Rates.parse("/s"));
        assertThrows(IllegalArgumentException.class, () -> Rates.parse("5/s"));
    }

    @Test
    void rateAndSizeFormats() {
        assertEquals("100Mbit", Rates.format(100_000_000L));
        assertEquals("1500bit", Rates.format(1_500L));
        assertEquals("1Tbit", Rates.format(Rates.ONE_TBIT));
        assertEquals("4MiB", Sizes.format(4L << 20));
        assertEquals("1500B", Sizes.format(1500));
    }

    @Test
    void suggestionsFindPlausibleTypos() {
        java.util.List<String> keys = java.util.List.of("delay", "jitter", "loss", "clusterCIDR");
        assertEquals("loss", Suggestions.closest("lossy", keys));
        assertEquals("clusterCIDR", Suggestions.closest("clusterCidr", keys));
        assertEquals("jitter", Suggestions.closest("jiter", keys));
        assertEquals(null, Suggestions.closest("bandwidth", keys));
        assertEquals(" (expected one of: delay, jitter, loss, clusterCIDR)", Suggestions.hint("bandwidth", keys));
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
    }

    private static String message(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }
}
