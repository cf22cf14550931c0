package io.kpsim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds issue 17's memory per connection to its documented bound (src/docs/benchmarks.md, "Memory
 * per connection, object by object"), counted by {@link ConnectionFootprint} object by object:
 * deterministic, so the bound is tight and a regression of a few bytes per connection fails here,
 * without timing or the collector's noise. scale-100k at 1,000 and 2,000 connections.
 */
class ConnectionFootprintTest {

    private static final Path SCALE_100K =
            Path.of("..").toAbsolutePath().normalize().resolve("benchmarks/scenarios/scale-100k.yaml");
    /**
     * The bound, below issue 17's 1 KiB. Measured 978.1 bytes per connection in session 13 (1,012.5
     * in session 12, 1,131.3 in session 11, 1,280.4 in session 10, 1,360.4 in session 9, 1,488.4 in
     * session 8, 1,612.3 in session 7, 1,788.3 in session 6, 2,572.3 before it), of which 260.1 are
     * both nodes' conntrack entries (278.5 before session 13's lookup tables at load 2/3 in the room
     * reserved for the run, 397.3 before session 12's 8-byte lookup slots, singly linked chains and
     * fields in the tuples' spare bits). The count is exact, so the bound is tight: 11.9 bytes of
     * margin, less than one more field in each socket that crosses an 8-byte boundary.
     */
    private static final double BOUND_BYTES = 990;

    private static ConnectionFootprint.Result result;

    @BeforeAll
    static void measure() throws Exception {
        result = ConnectionFootprint.marginal(
                ConnectionFootprint.scaled(SCALE_100K, 100), ConnectionFootprint.scaled(SCALE_100K, 200));
    }

    private static String report() {
        return String.join("\n", ConnectionFootprint.describe(result));
    }

    @Test
    void aConnectionCostsNoMoreThanTheDocumentedBound() {
        assertEquals(1_000, result.connections(), report());
        assertTrue(result.perConnection() <= BOUND_BYTES, report());
        // a connection is two sockets and an entry in each node's table: if it cost nothing the
        // measurement, not the model, would be broken
        assertTrue(result.conntrackPerConnection() > 200, report());
        assertTrue(result.perConnection() - result.conntrackPerConnection() > 400, report());
    }

    @Test
    void theClassesAddUpToTheTotalAndEachConnectionIsTwoSockets() {
        assertEquals(
                result.bytes(),
                result.bytesByClass().values().stream()
                        .mapToLong(Long::longValue)
                        .sum());
        assertEquals(2_000, result.countByClass().get("io.kpsim.tcp.TcpSocket"), report());
    }

    @Test
    void anIdleConnectionHoldsNoTimerScoreboardOrClosingState() {
        for (String lazy : new String[] {
            "io.kpsim.engine.Timer",
            "io.kpsim.tcp.PersistTimer",
            "io.kpsim.tcp.SackScoreboard",
            "io.kpsim.tcp.TcpTeardown",
            "io.kpsim.tcp.OutOfOrderQueue",
            "io.kpsim.tcp.ReceiveSpace",
            "io.kpsim.tcp.ReadPacer"
        }) {
            assertFalse(result.countByClass().getOrDefault(lazy, 0L) > 0, lazy + " per connection:\n" + report());
        }
    }
}
