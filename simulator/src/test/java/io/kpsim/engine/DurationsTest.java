package io.kpsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void conversions() {
        assertEquals(250_000_000L, Durations.millis(250));
        assertEquals(40_000L, Durations.micros(40));
        assertEquals(60_000_000_000L, Durations.seconds(60));
        assertEquals(1_000_000L, Durations.transmissionNanos(1250, 1_250_000));
        assertEquals(1L, Durations.transmissionNanos(1, 2_000_000_000L));
        assertThrows(ArithmeticException.class, () -> Durations.seconds(Long.MAX_VALUE / 10));
    }

    @Test
    void formatting() {
        assertEquals("0s", Durations.format(0));
        assertEquals("250ms", Durations.format(Durations.millis(250)));
        assertEquals("1.5s", Durations.format(Durations.millis(1500)));
        assertEquals("40us", Durations.format(Durations.micros(40)));
        assertEquals("1.25ms", Durations.format(1_250_000));
        assertEquals("17ns", Durations.format(17));
        assertEquals("1000.001us", Durations.format(1_000_001));
        assertEquals("-3ms", Durations.format(-3_000_000));
        assertEquals("1.000200000", Durations.timestamp(1_000_200_000));
    }
}
