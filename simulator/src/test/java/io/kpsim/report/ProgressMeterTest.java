package io.kpsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress line: silent for short runs, redrawn in place, erased at the end. */
class ProgressMeterTest {

    @Test
    void quietForHalfASecondThenOneLineRedrawnAndErased() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        AtomicLong wall = new AtomicLong(1_000);
        ProgressMeter m = new ProgressMeter(err, 2_000_000_000L, wall::get);
        m.at(100_000_000L);
        assertEquals("", bytes.toString(StandardCharsets.UTF_8), "nothing within the first half second");
        wall.addAndGet(1_500_000_000L);
        m.at(500_000_000L);
        m.at(500_000_000L);
        m.at(1_000_000_000L);
        m.done();
        assertEquals(
                "\rkpsim: simulating 25% (0.500000s of 2.000000s, 1s elapsed)"
                        + "\rkpsim: simulating 50% (1.000000s of 2.000000s, 1s elapsed)\r\033[K",
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aShortRunLeavesNoTrace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressMeter m = new ProgressMeter(new PrintStream(bytes, true, StandardCharsets.UTF_8), 10, () -> 0L);
        m.at(10);
        m.done();
        assertEquals(0, bytes.size());
    }
}
