package io.kpsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kpsim.report.RunMetrics;
import org.junit.jupiter.api.Test;

/**
 * The verdict of a matrix row, one case per verdict, with the counters of the scenarios that teach
 * them (asymmetric-drop-invalid's row is the drop's side effect, not a protection).
 */
class MatrixVerdictTest {

    private static RunMetrics m(long conns, long completed, long resets, long invalid, long dropped, long ignored) {
        return new RunMetrics(conns, completed, resets, invalid, dropped, ignored, 100, 0, 0, 0, 1);
    }

    @Test
    void eachVerdictFromItsCounters() {
        assertEquals(MatrixVerdict.EXPOSED, MatrixVerdict.of(m(10, 9, 1, 386, 0, 0), false));
        assertEquals(MatrixVerdict.BROKEN_BY_DROP, MatrixVerdict.of(m(1, 0, 0, 5, 5, 2), false));
        assertEquals(MatrixVerdict.BROKEN_BY_DROP, MatrixVerdict.of(m(1, 0, 0, 5, 5, 2), true), "1.28 keeps its drop");
        assertEquals(MatrixVerdict.INVALID_DROP, MatrixVerdict.of(m(10, 10, 0, 1, 1, 0), false));
        assertEquals(MatrixVerdict.BE_LIBERAL, MatrixVerdict.of(m(3, 3, 0, 555, 0, 0), true));
        assertEquals(MatrixVerdict.KERNEL_IGNORES, MatrixVerdict.of(m(29, 24, 0, 0, 0, 58), false));
        assertEquals(MatrixVerdict.NOT_PROVOKED, MatrixVerdict.of(m(3, 3, 0, 555, 0, 0), false));
        assertEquals("broken: INVALID drop rule", MatrixVerdict.BROKEN_BY_DROP.text());
    }
}
