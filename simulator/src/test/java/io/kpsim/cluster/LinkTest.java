package io.kpsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.engine.Durations;
import io.kpsim.engine.RandomStreams;
import io.kpsim.engine.Simulation;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkTest {

    private static final long SEED = 42;

    /** A 1500-byte TCP packet (20 IP + 20 TCP + 1460 data) whose seq carries its index. */
    private static Packet packet(int index) {
        TcpSegment s = new TcpSegment(40000, 80, index, 0, TcpFlags.ACK, 1000, 0, TcpOptions.NONE, 1460);
        return Packet.tcp(Ip4.parse("10.0.0.1"), Ip4.parse("10.0.0.2"), s);
    }

    private record Arrival(long time, int index, long id) {}

    /** Sends {@code count} packets every {@code gapNanos} and records each arrival. */
    private static List<Arrival> run(LinkImpairments imp, int count, long gapNanos, long seed) {
        Simulation sim = new Simulation();
        List<Arrival> arrivals = new ArrayList<>();
        Link link = new Link(
                "test",
                sim,
                imp,
                new RandomStreams(seed).stream("link:test"),
                (p, id, bytes) -> arrivals.add(new Arrival(sim.now(), p.tcp().seq(), id)),
                new Tracer());
        for (int i = 0; i < count; i++) {
            int index = i;
            sim.scheduleAt(i * gapNanos, () -> link.send(packet(index), index));
        }
        sim.run();
        return arrivals;
    }

    @Test
    void propagationDelayIsExactWithoutOtherImpairments() {
        List<Arrival> a = run(LinkImpairments.delay(Durations.millis(3)), 10, Durations.micros(100), SEED);
        assertEquals(10, a.size());
        for (int i = 0; i < 10; i++) {
            assertEquals(
                    i * Durations.micros(100) + Durations.millis(3), a.get(i).time());
            assertEquals(i, a.get(i).index());
        }
    }

    @Test
    void bandwidthSerialisesPacketsAndTheQueueDropsTail() {
        // 1500 B at 1.5 MB/s = 1 ms per packet; 100 packets offered at once; the queue holds 10.
        LinkImpairments imp = LinkImpairments.delay(0).withBandwidth(1_500_000, 15_000);
        List<Arrival> a = run(imp, 100, 0, SEED);
        // The backlog counts every byte not yet on the wire, the packet being serialised included:
        // ten packets fill 15,000 bytes, the eleventh would exceed it.
        assertEquals(10, a.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals((i + 1) * Durations.millis(1), a.get(i).time(), "packet " + i);
            assertEquals(i, a.get(i).index());
        }
    }

    @Test
    void jitterStaysWithinBoundsAndIsUniform() {
        LinkImpairments imp = LinkImpairments.delay(Durations.millis(1)).withJitter(Durations.millis(1));
        List<Arrival> a = run(imp, 20_000, Durations.millis(10), SEED);
        double sum = 0;
        for (Arrival x : a) {
            long extra = x.time() - x.index() * Durations.millis(10) - Durations.millis(1);
            assertTrue(extra >= 0 && extra <= Durations.millis(1), "jitter " + extra);
            sum += extra;
        }
        double mean = sum / a.size();
        assertEquals(Durations.micros(500), mean, Durations.micros(15));
    }

    @Test
    void lossRateMatchesTheConfiguredProbability() {
        int n = 100_000;
        List<Arrival> a = run(LinkImpairments.delay(1000).withLoss(0.02), n, 1000, SEED);
        double observed = 1.0 - (double) a.size() / n;
        assertEquals(0.02, observed, 0.002);
    }

    @Test
    void duplicationRateMatchesAndCopiesKeepTheirId() {
        int n = 100_000;
        List<Arrival> a = run(LinkImpairments.delay(1000).withDuplicate(0.05), n, 1000, SEED);
        double observed = (double) (a.size() - n) / n;
        assertEquals(0.05, observed, 0.003);
        int copies = 0;
        for (int i = 1; i < a.size(); i++) {
            if (a.get(i).id() == a.get(i - 1).id()) {
                copies++;
                assertEquals(a.get(i - 1).time(), a.get(i).time());
            }
        }
        assertEquals(a.size() - n, copies);
    }

    @Test
    void holdBackReordersAtTheConfiguredRate() {
        int n = 100_000;
        long gap = Durations.micros(10);
        LinkImpairments imp = LinkImpairments.delay(Durations.micros(50)).withHoldBack(0.01, Durations.micros(35));
        List<Arrival> a = run(imp, n, gap, SEED);
        assertEquals(n, a.size());
        int late = 0;
        int overtaken = 0;
        for (int i = 0; i < a.size(); i++) {
            Arrival x = a.get(i);
            long delay = x.time() - x.index() * gap;
            if (delay == Durations.micros(85)) {
                late++;
            } else {
                assertEquals(Durations.micros(50), delay);
            }
            if (i > 0 && x.index() < a.get(i - 1).index()) {
                overtaken++;
            }
        }
        assertEquals(0.01, (double) late / n, 0.001);
        // A 35 us detour lets the three packets sent 10, 20, 30 us later overtake each late one.
        assertEquals(late, overtaken);
    }

    @Test
    void theSameSeedGivesTheSameArrivalsAndAnotherSeedDoesNot() {
        LinkImpairments imp = LinkImpairments.delay(Durations.micros(100))
                .withJitter(Durations.micros(30))
                .withBandwidth(12_500_000, 30_000)
                .withLoss(0.01)
                .withDuplicate(0.01)
                .withHoldBack(0.01, Durations.millis(1));
        List<Arrival> first = run(imp, 20_000, Durations.micros(100), 7);
        List<Arrival> second = run(imp, 20_000, Durations.micros(100), 7);
        List<Arrival> other = run(imp, 20_000, Durations.micros(100), 8);
        assertEquals(first, second);
        assertNotEquals(first, other);
    }

    @Test
    void invalidParametersAreRejectedWithTheirName() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> LinkImpairments.delay(0).withLoss(1.5));
        assertTrue(e.getMessage().contains("loss"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LinkImpairments.delay(-1));
        assertThrows(
                IllegalArgumentException.class, () -> LinkImpairments.delay(0).withBandwidth(1000, 0));
    }
}
