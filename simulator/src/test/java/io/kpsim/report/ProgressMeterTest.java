package io.kpsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress bar: silent for a second, then a bar with simulated time and time left, erased at the end. */
class ProgressMeterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void quietForASecondThenABarRedrawnInPlaceAndErased() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        AtomicLong wall = new AtomicLong(1_000);
        ProgressMeter m = new ProgressMeter(err, 2 * SECOND, wall::get);
        m.at(SECOND / 10);
        wall.addAndGet(SECOND / 2);
        m.at(SECOND / 5);
        assertEquals("", bytes.toString(StandardCharsets.UTF_8), "nothing within the first second");
        wall.addAndGet(SECOND);
        m.at(SECOND / 2);
        m.at(SECOND / 2);
        wall.addAndGet(3 * SECOND / 2);
        m.at(SECOND);
        m.done();
        assertEquals(
                "\rkpsim: [###---------]  25% 0.500s of 2.000s simulated, 1s elapsed, 4s left\033[K"
                        + "\rkpsim: [######------]  50% 1.000s of 2.000s simulated, 3s elapsed, 3s left\033[K"
                        + "\r\033[K",
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void redrawnAtMostFourTimesASecond() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong wall = new AtomicLong(0);
        ProgressMeter m = new ProgressMeter(new PrintStream(bytes, true, StandardCharsets.UTF_8), 100, wall::get);
        wall.set(2 * SECOND);
        m.at(1);
        m.at(1);
        wall.addAndGet(SECOND);
        m.at(1);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, out.split("\r", -1).length - 1, out);
        assertEquals(true, out.endsWith("3s elapsed, 4m57s left\033[K"), out);
    }

    @Test
    void timeLeftIsUnknownBeforeAnyProgressAndLongTimesReadAsMinutesAndHours() {
        ProgressMeter m = new ProgressMeter(new PrintStream(new ByteArrayOutputStream()), 60 * SECOND, () -> 0L);
        assertEquals(
                "kpsim: [------------]   0% 0.000s of 60.000s simulated, 5s elapsed, time left unknown\033[K",
                m.line(0, 5 * SECOND));
        assertEquals("59s", ProgressMeter.wallTime(59 * SECOND + SECOND / 2));
        assertEquals("2m05s", ProgressMeter.wallTime(125 * SECOND));
        assertEquals("1h02m", ProgressMeter.wallTime(3725 * SECOND));
    }

    @Test
    void workDoneOutOfWorkExpectedCorrectsTheTimeLeft() {
        AtomicLong packets = new AtomicLong(500);
        ProgressMeter m = new ProgressMeter(new PrintStream(new ByteArrayOutputStream()), 10 * SECOND, () -> 0L);
        m.expect(1000, packets::get);
        assertEquals(
                "kpsim: [#-----------]  10% 1.000s of 10.000s simulated, 4s elapsed, 4s left\033[K",
                m.line(SECOND, 4 * SECOND),
                "half the packets sent in 4 s: 4 s more, though only a tenth of the time is simulated");
        packets.set(5000);
        assertEquals(
                "kpsim: [#-----------]  10% 1.000s of 10.000s simulated, 1m39s elapsed, 1s left\033[K",
                m.line(SECOND, 99 * SECOND),
                "more packets than estimated: almost done, never done before the simulated time is");
        packets.set(0);
        assertEquals(
                "kpsim: [######------]  50% 5.000s of 10.000s simulated, 4s elapsed, 4s left\033[K",
                m.line(5 * SECOND, 4 * SECOND), "the simulated time says more");
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
