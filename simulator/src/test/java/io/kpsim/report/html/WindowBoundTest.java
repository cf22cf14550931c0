package io.kpsim.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The bound the kernel's message names, in 4.19's words and in 6.1+'s (which print its value). */
class WindowBoundTest {

    @Test
    void theKernelsWordsNameTheBound() {
        assertEquals(
                WindowBound.SEQ_UPPER,
                WindowBound.named("SEQ is over the upper bound (over the window of the receiver)"));
        assertEquals(
                WindowBound.SEQ_UPPER,
                WindowBound.named("SEQ is over upper bound 1303762198 (over the window of the receiver)"));
        assertEquals(
                WindowBound.SEQ_LOWER,
                WindowBound.named("SEQ is under the lower bound (already ACKed data retransmitted)"));
        assertEquals(WindowBound.ACK_UPPER, WindowBound.named("ACK is over the upper bound (ACKed data not seen yet)"));
        assertEquals(
                WindowBound.ACK_LOWER, WindowBound.named("ignored ACK under lower bound 5 (possible overly delayed)"));
        assertNull(WindowBound.named("invalid new"));
        assertNull(WindowBound.named(null));
    }

    @Test
    void sixOnePlusPrintsTheValue() {
        assertEquals(
                1303762198L,
                WindowBound.printedValue("SEQ is over upper bound 1303762198 (over the window of the receiver)"));
        assertEquals(
                2558559080L,
                WindowBound.printedValue("SEQ is under lower bound 2558559080 (already ACKed data retransmitted)"));
        assertEquals(-1, WindowBound.printedValue("SEQ is over the upper bound (over the window of the receiver)"));
        assertEquals(-1, WindowBound.printedValue("SEQ is over upper bound 99999999999 (garbage)"));
        assertEquals(-1, WindowBound.printedValue(null));
    }
}
