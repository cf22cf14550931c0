package io.kpsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.cluster.Cluster;
import io.kpsim.cluster.ClusterResults;
import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.report.RunMetrics;
import io.kpsim.tcp.TcpCounter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each scenario setting that shapes TCP or the forged segments changes what happens on the wire:
 * per-pod MSS/SACK/window scaling in the SYNs, a slow reader's window, a send buffer's bound on
 * data in flight, an injection's offset, the boom server's offset, and connect-loop completions.
 */
class ScenarioSettingsTest {

    /** One download across two nodes (1 ms apart) through a ClusterIP, with the pods' tcp open to overrides. */
    private static final String DOWNLOAD = """
            apiVersion: kpsim/v1
            kind: Scenario
            metadata: {name: settings}
            spec:
              duration: 2s
              kernel: 4.19
              nodes:
                - {name: node-a, ip: 192.168.0.10, podCIDR: 10.244.1.0/24}
                - {name: node-b, ip: 192.168.0.11, podCIDR: 10.244.2.0/24}
              pods:
                - {name: client, node: node-a, ip: 10.244.1.2}
                - {name: server, node: node-b, ip: 10.244.2.2}
              services:
                - {name: files, clusterIP: 10.96.0.10, ports: [{port: 80, targetPort: 8080}], endpoints: [server]}
              links:
                - {between: [node-a, node-b], delay: 1ms}
              workloads:
                - {kind: fileServer, pod: server, port: 8080, fileSize: 1MiB}
                - {kind: download, pod: client, service: "files:80"}
            """;

    private static final String INJECTION = "spec.injections=[{at: 5ms, pod: server, kind: %s%s}]";

    /** A built cluster and every trace event of its run. */
    private record Run(Cluster cluster, ClusterResults results, List<TraceEvent> events) {

        List<TcpSegment> sent(String pod, TracePoint point) {
            List<TcpSegment> segments = new ArrayList<>();
            for (TraceEvent e : events) {
                if (e.point() == point
                        && e.where().equals(pod)
                        && e.packet() != null
                        && e.packet().tcp() != null) {
                    segments.add(e.packet().tcp());
                }
            }
            return segments;
        }

        TcpSegment syn(String pod) {
            return sent(pod, TracePoint.POD_SEND).stream()
                    .filter(s -> (s.flags() & TcpFlags.SYN) != 0)
                    .findFirst()
                    .orElseThrow();
        }

        TcpSegment injected(String pod) {
            List<TcpSegment> forged = sent(pod, TracePoint.POD_INJECT);
            assertEquals(1, forged.size(), results.summary());
            return forged.get(0);
        }
    }

    private static Run run(String yaml, String... overrides) throws ScenarioException {
        ScenarioSpec spec =
                ScenarioLoader.parse(yaml, "t.yaml", List.of(overrides)).spec();
        Cluster cluster = ScenarioBuilder.build(spec);
        List<TraceEvent> events = new ArrayList<>();
        cluster.addTraceListener(events::add);
        ClusterResults r = cluster.run(spec.durationNanos());
        return new Run(cluster, r, events);
    }

    private static Run library(String name, String... overrides) throws ScenarioException {
        Path file = ScenarioLibraryTest.root().resolve("scenarios").resolve(name + ".yaml");
        ScenarioSpec spec = ScenarioLoader.load(file, List.of(overrides)).spec();
        Cluster cluster = ScenarioBuilder.build(spec);
        List<TraceEvent> events = new ArrayList<>();
        cluster.addTraceListener(events::add);
        return new Run(cluster, cluster.run(spec.durationNanos()), events);
    }

    @Test
    void eachPodAnnouncesItsOwnMssSackAndWindowScaleInItsSyn() throws ScenarioException {
        Run r = run(DOWNLOAD, "spec.pods[0].tcp={mss: 1400, windowScaling: false}", "spec.pods[1].tcp={sack: false}");
        TcpOptions client = r.syn("client").options();
        TcpOptions server = r.syn("server").options();
        assertEquals(1400, client.mss());
        assertTrue(client.sackPermitted());
        assertEquals(TcpOptions.ABSENT, client.windowScale());
        assertEquals(1460, server.mss(), "the server keeps Linux's MSS");
        assertTrue(!server.sackPermitted(), "the server turned SACK off");
        assertEquals(1, r.results().downloadsCompleted(), r.results().summary());
        for (TcpSegment s : r.sent("server", TracePoint.POD_SEND)) {
            assertTrue(s.payloadLength() <= 1400, "the server sends at most the client's MSS: " + s);
        }
    }

    @Test
    void aSlowReaderAdvertisesAWindowSmallerThanOneSegment() throws ScenarioException {
        Run fast = run(DOWNLOAD);
        Run slow = run(DOWNLOAD, "spec.workloads[1].readRate=64KiB/s");
        Run podDefault = run(DOWNLOAD, "spec.pods[0].tcp.readRate=64KiB/s");
        assertEquals(1, fast.results().downloadsCompleted(), fast.results().summary());
        assertEquals(
                0,
                slow.results().downloadsCompleted(),
                "1 MiB at 64 KiB/s takes 16 s:\n" + slow.results().summary());
        assertTrue(smallestWindow(fast) >= 32 * 1024, "a fast reader keeps its window open: " + smallestWindow(fast));
        assertTrue(smallestWindow(slow) < 1460, "the slow reader's buffer fills: " + smallestWindow(slow));
        assertEquals(smallestWindow(slow), smallestWindow(podDefault), "the download inherits its pod's readRate");
        long bytes = slow.cluster().pod("client").stack().counters().get(TcpCounter.BYTES_DELIVERED);
        assertTrue(bytes <= 2 * 64 * 1024 + 1460, "read about 2 s at 64 KiB/s, got " + bytes);
    }

    /** The smallest window the client advertised after its SYN, in bytes (field << wscale 7). */
    private static long smallestWindow(Run r) {
        return r.sent("client", TracePoint.POD_SEND).stream()
                .filter(s -> (s.flags() & (TcpFlags.RST | TcpFlags.SYN | TcpFlags.FIN)) == 0)
                .mapToLong(s -> (long) s.window() << 7)
                .min()
                .orElseThrow();
    }

    @Test
    void aSendBufferBoundsTheDataInFlight() throws ScenarioException {
        assertTrue(maxInFlight(run(DOWNLOAD)) > 64 * 1024, "autotuned: the window and cwnd decide");
        long bounded = maxInFlight(run(DOWNLOAD, "spec.pods[1].tcp.sendBuffer=16KiB"));
        assertTrue(bounded <= 8 * 1024 && bounded > 0, "half of a 16 KiB sk_sndbuf holds payload: " + bounded);
    }

    /** The most data the server had sent and not yet seen acknowledged, over its run. */
    private static long maxInFlight(Run r) {
        long highestEnd = 0;
        long acked = 0;
        long max = 0;
        int base = r.syn("server").seq() + 1;
        for (TraceEvent e : r.events()) {
            if (e.packet() == null || e.packet().tcp() == null || !e.where().equals("server")) {
                continue;
            }
            TcpSegment s = e.packet().tcp();
            if (e.point() == TracePoint.POD_SEND && s.payloadLength() > 0) {
                highestEnd = Math.max(highestEnd, Integer.toUnsignedLong(s.end() - base));
            } else if (e.point() == TracePoint.POD_RECEIVE && (s.flags() & TcpFlags.ACK) != 0) {
                acked = Math.max(acked, Integer.toUnsignedLong(s.ack() - base));
            }
            max = Math.max(max, highestEnd - acked);
        }
        assertEquals(1, r.results().downloadsCompleted(), r.results().summary());
        return max;
    }

    @Test
    void anInjectionOffsetMovesTheForgedSequenceNumberByExactlyThatMuch() throws ScenarioException {
        Run oneRun = run(DOWNLOAD, String.format(INJECTION, "aboveUpperBound", ", offset: 1MiB"));
        TcpSegment one = oneRun.injected("server");
        TcpSegment lastAck = null;
        for (TraceEvent e : oneRun.events()) {
            if (e.point() == TracePoint.POD_INJECT) {
                break;
            }
            if (e.point() == TracePoint.POD_SEND && e.where().equals("client")) {
                lastAck = e.packet().tcp();
            }
        }
        long windowEnd = Integer.toUnsignedLong(lastAck.ack()) + ((long) lastAck.window() << 7);
        assertEquals(
                windowEnd + (1 << 20),
                Integer.toUnsignedLong(one.seq()),
                "1 MiB beyond the end of the window the client last advertised");
        TcpSegment three = run(DOWNLOAD, String.format(INJECTION, "aboveUpperBound", ", offset: 3MiB"))
                .injected("server");
        assertEquals(2 << 20, three.seq() - one.seq());
        TcpSegment ackOne = run(DOWNLOAD, String.format(INJECTION, "badAck", ", offset: 1000"))
                .injected("server");
        TcpSegment ackTwo = run(DOWNLOAD, String.format(INJECTION, "badAck", ", offset: 3000"))
                .injected("server");
        assertEquals(2000, ackTwo.ack() - ackOne.ack());
    }

    @Test
    void aSmallLowerBoundOffsetIsAnOldDuplicateNotAnInvalidSegment() throws ScenarioException {
        Run auto = run(DOWNLOAD, String.format(INJECTION, "belowLowerBound", ""));
        assertEquals(
                1,
                auto.results().resets(),
                "placed clear of the window: INVALID on 4.19, reset\n"
                        + auto.results().summary());
        Run near = run(DOWNLOAD, String.format(INJECTION, "belowLowerBound", ", offset: 1000"));
        assertEquals(0, near.results().resets(), near.results().summary());
        assertEquals(
                0,
                near.results().invalidTotal(),
                "1000 bytes below SND.NXT is inside the window\n"
                        + near.results().summary());
        assertEquals(1, near.results().downloadsCompleted(), near.results().summary());
    }

    @Test
    void theBoomServersSeqOffsetPlacesItsSegment() throws ScenarioException {
        Run image = library("boom-4.19", "spec.duration=3s");
        Run small = library("boom-4.19", "spec.duration=3s", "spec.workloads[0].seqOffset=1000");
        long synAckSeq = Integer.toUnsignedLong(image.syn("boom-server").seq());
        assertEquals(
                synAckSeq + 1 - 100_000 & 0xffffffffL,
                Integer.toUnsignedLong(image.injected("boom-server").seq()));
        assertEquals(
                Integer.toUnsignedLong(small.syn("boom-server").seq()) + 1 - 1000 & 0xffffffffL,
                Integer.toUnsignedLong(small.injected("boom-server").seq()));
        assertTrue(
                image.results().resets() >= 1,
                "100000 below a 64 KiB window: INVALID, reset\n"
                        + image.results().summary());
        assertEquals(
                0,
                small.results().resets(),
                "1000 below is inside the window\n" + small.results().summary());
    }

    @Test
    void connectLoopConnectionsThatCloseCleanlyCountAsCompleted() throws ScenarioException {
        Path dir = ScenarioLibraryTest.root().resolve("scenarios");
        RunMetrics modern = ScenarioRun.run(
                        ScenarioLoader.load(dir.resolve("boom-6.18.yaml"), List.of()),
                        new ScenarioRun.Options(false, null, false, null))
                .metrics();
        RunMetrics old = ScenarioRun.run(
                        ScenarioLoader.load(dir.resolve("boom-4.19.yaml"), List.of()),
                        new ScenarioRun.Options(false, null, false, null))
                .metrics();
        // One connection every 2 s from 2 s on, each closed by the server 10 s after it opened: those
        // opened up to 48 s are closed within the 60 s run.
        assertEquals(24, modern.completed(), modern.toString());
        assertEquals(0, modern.resets(), modern.toString());
        assertEquals(0, old.completed(), "every connection was reset on 4.19: " + old);
    }

    @Test
    void timestampsAndBuffersTheStackCannotHonourAreRefusedWhereTheyAreWritten() {
        String client = "    - {name: client, node: node-a, ip: 10.244.1.2}";
        assertEquals(
                List.of("t.yaml:11:70: spec.pods[0].tcp.timestamps: TCP timestamps are not modelled (kpsim's TCP"
                        + " sends no timestamp option, RFC 7323 §3) (expected false, or leave it out)"),
                ErrorsTest.problems(ErrorsTest.replace(
                        client, "    - {name: client, node: node-a, ip: 10.244.1.2, tcp: {timestamps: true}}")));
        assertEquals(
                List.of("t.yaml:11:73: spec.pods[0].tcp.receiveBuffer: 2KiB holds less than two segments of"
                        + " MSS 1460 (expected at least 2920B)"),
                ErrorsTest.problems(ErrorsTest.replace(
                        client, "    - {name: client, node: node-a, ip: 10.244.1.2, tcp: {receiveBuffer: 2KiB}}")));
    }
}
