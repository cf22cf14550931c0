package io.kpsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.pcap.CaptureException;
import io.kpsim.pcap.CaptureRecord;
import io.kpsim.pcap.PcapReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Observation points, file names, the overwrite refusal and the all-or-nothing commit. */
class PcapRecorderTest {

    private static final Map<String, String> PODS = new LinkedHashMap<>(Map.of("client", "node-a"));

    private static Packet syn() {
        return Packet.tcp(
                Ip4.parse("10.244.1.2"),
                Ip4.parse("10.96.0.10"),
                new TcpSegment(40000, 80, 1, 0, TcpFlags.SYN, 64240, 0, TcpOptions.NONE, 0));
    }

    private static TraceEvent event(long t, TracePoint point, String where, Packet p) {
        return new TraceEvent(t, 0, point, where, p, null, null, null, null, null);
    }

    @Test
    void framesAreCutToTheSnapLengthUnlessWholeFramesAreAsked(@TempDir Path dir) throws IOException {
        Packet big = Packet.tcp(
                Ip4.parse("10.244.2.2"),
                Ip4.parse("10.244.1.2"),
                new TcpSegment(8080, 40000, 1, 1, TcpFlags.ACK, 512, 0, TcpOptions.NONE, 1448));
        for (int snap : new int[] {PcapRecorder.DEFAULT_SNAP_LENGTH, 0}) {
            Path out = dir.resolve("snap" + snap);
            try (PcapRecorder r = PcapRecorder.open(out, List.of("node-a"), PODS, false, snap)) {
                r.onEvent(event(1_000, TracePoint.POD_RECEIVE, "client", big));
                r.commit();
            }
            try (PcapReader reader = PcapReader.open(out.resolve("node-a.client.veth.pcap"))) {
                CaptureRecord rec = reader.next();
                assertEquals(14 + 20 + 20 + 1448, rec.originalLength());
                assertEquals(snap == 0 ? rec.originalLength() : 128, rec.frame().length);
                assertEquals(big.summary(), rec.packet().summary());
            }
        }
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PcapRecorder.open(dir.resolve("bad"), List.of("node-a"), PODS, false, -1));
        assertEquals(
                "snap length -1 is out of range (expected 0 for whole frames, or 1..262144 bytes)", e.getMessage());
    }

    @Test
    void namesEachObservationPoint() {
        assertEquals(
                List.of(
                        "node-a.before-nat.pcap",
                        "node-a.after-nat.pcap",
                        "node-a.client.veth.pcap",
                        "node-b.before-nat.pcap",
                        "node-b.after-nat.pcap"),
                PcapRecorder.fileNames(List.of("node-a", "node-b"), PODS));
    }

    @Test
    void writesEachEventToItsPointAndCommitsAtomically(@TempDir Path dir) throws IOException {
        Packet p = syn();
        Packet dnat = p.withDestination(Ip4.parse("10.244.2.2"), 8080);
        try (PcapRecorder r = PcapRecorder.open(dir, List.of("node-a", "node-b"), PODS, false)) {
            r.onEvent(event(1_000, TracePoint.POD_SEND, "client", p));
            r.onEvent(event(2_000, TracePoint.LINK_DELIVER, "client->node-a", p));
            r.onEvent(event(2_000, TracePoint.NODE_ROUTE, "node-a", dnat));
            r.onEvent(event(3_000, TracePoint.LINK_DELIVER, "node-a->node-b", dnat));
            r.onEvent(event(3_000, TracePoint.NODE_HOOK, "node-b", null));
            try (Stream<Path> files = Files.list(dir)) {
                assertTrue(
                        files.map(f -> f.getFileName().toString())
                                .allMatch(f -> f.endsWith(".partial") || f.equals(CaptureDirectoryLock.FILE)),
                        "nothing has its final name before the commit");
            }
            r.commit();
        }
        assertEquals(List.of(1_000L), times(dir.resolve("node-a.client.veth.pcap")));
        assertEquals(List.of(2_000L), times(dir.resolve("node-a.before-nat.pcap")));
        assertEquals(List.of(3_000L), times(dir.resolve("node-b.before-nat.pcap")));
        assertEquals(List.of(), times(dir.resolve("node-b.after-nat.pcap")));
        try (PcapReader reader = PcapReader.open(dir.resolve("node-a.after-nat.pcap"))) {
            assertEquals("10.244.2.2", Ip4.format(reader.next().packet().dstIp()));
        }
    }

    @Test
    void refusesExistingFilesAndCleansUpWithoutCommit(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("node-a.client.veth.pcap"), "keep");
        CaptureException e =
                assertThrows(CaptureException.class, () -> PcapRecorder.open(dir, List.of("node-a"), PODS, false));
        assertTrue(
                e.getMessage().startsWith("refusing to overwrite " + dir.resolve("node-a.client.veth.pcap")),
                e.getMessage());
        try (PcapRecorder r = PcapRecorder.open(dir, List.of("node-a"), PODS, true)) {
            r.onEvent(event(5, TracePoint.POD_SEND, "client", syn()));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    List.of("node-a.client.veth.pcap"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        assertEquals("keep", Files.readString(dir.resolve("node-a.client.veth.pcap")));
        Path file = dir.resolve("node-a.client.veth.pcap");
        assertThrows(CaptureException.class, () -> PcapRecorder.open(file, List.of("node-a"), PODS, true));
    }

    @Test
    void oneRecorderAtATimePerDirectory(@TempDir Path dir) throws IOException {
        try (PcapRecorder first = PcapRecorder.open(dir, List.of("node-a"), PODS, false)) {
            CaptureException e = assertThrows(
                    CaptureException.class, () -> PcapRecorder.open(dir, List.of("node-b"), Map.of(), false));
            assertEquals(
                    dir + ": another kpsim run (pid " + ProcessHandle.current().pid() + ", this process) is writing"
                            + " captures into this directory; wait for it to finish or choose another --pcap directory",
                    e.getMessage());
            first.commit();
        }
        try (PcapRecorder again = PcapRecorder.open(dir, List.of("node-b"), Map.of(), false)) {
            again.commit(); // the first one let go
        }
        assertFalse(Files.exists(dir.resolve(CaptureDirectoryLock.FILE)), "the lock file goes with the last run");
    }

    @Test
    void theLockFileOfARunThatDiedIsTakenOver(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(CaptureDirectoryLock.FILE), "999999999\n"); // no process holds it
        try (PcapRecorder r = PcapRecorder.open(dir, List.of("node-a"), PODS, false)) {
            r.onEvent(event(5, TracePoint.POD_SEND, "client", syn()));
            r.commit();
        }
        assertEquals(List.of(5L), times(dir.resolve("node-a.client.veth.pcap")));
    }

    @Test
    void anInterruptKeepsEveryCaptureWholeUnderAVisibleName(@TempDir Path dir) throws IOException {
        PcapRecorder r = PcapRecorder.open(dir, List.of("node-a"), PODS, false);
        r.onEvent(event(1_000, TracePoint.POD_SEND, "client", syn()));
        r.onEvent(event(2_000, TracePoint.LINK_DELIVER, "client->node-a", syn()));
        String words = r.interrupt();
        r.onEvent(event(3_000, TracePoint.POD_SEND, "client", syn())); // the run goes on: nothing more is written
        r.commit();
        r.close();
        assertEquals(
                "the captures so far were kept as valid pcap files in " + dir + ": 3 files named *.interrupted.pcap,"
                        + " 2 packets in all",
                words);
        assertEquals(words, r.interrupt(), "asked again, the same answer");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    List.of(
                            "node-a.after-nat.interrupted.pcap",
                            "node-a.before-nat.interrupted.pcap",
                            "node-a.client.veth.interrupted.pcap"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        assertEquals(List.of(1_000L), times(dir.resolve("node-a.client.veth.interrupted.pcap")));
        assertEquals(List.of(2_000L), times(dir.resolve("node-a.before-nat.interrupted.pcap")));
        assertEquals(List.of(), times(dir.resolve("node-a.after-nat.interrupted.pcap")));
    }

    @Test
    void anInterruptKeepsEveryRecordOfALongCapture(@TempDir Path dir) throws IOException {
        // some megabytes: many writes past the page cache, the last one under way when interrupted
        PcapRecorder r = PcapRecorder.open(dir, List.of("node-a"), PODS, false, 0);
        Packet data = Packet.tcp(
                Ip4.parse("10.244.1.2"),
                Ip4.parse("10.96.0.10"),
                new TcpSegment(40000, 80, 1, 1, TcpFlags.ACK, 512, 0, TcpOptions.NONE, 1448));
        List<Long> sent = new ArrayList<>();
        for (long t = 1; t <= 5_000; t++) {
            r.onEvent(event(t * 1_000, TracePoint.POD_SEND, "client", t % 7 == 0 ? syn() : data));
            sent.add(t * 1_000);
        }
        r.interrupt();
        r.close();
        assertEquals(sent, times(dir.resolve("node-a.client.veth.interrupted.pcap")));
        assertEquals(
                24 + 5_000 * 16 + 714 * 54 + 4_286 * (54 + 1448),
                Files.size(dir.resolve("node-a.client.veth.interrupted.pcap")),
                "whole records, nothing after them");
    }

    @Test
    void aDirectoryTheRunCreatedIsRemovedWhenNothingIsKept(@TempDir Path dir) {
        Path caps = dir.resolve("new").resolve("caps");
        try (PcapRecorder r = PcapRecorder.open(caps, List.of("node-a"), PODS, false)) {
            r.onEvent(event(5, TracePoint.POD_SEND, "client", syn()));
        }
        assertTrue(Files.isDirectory(caps.getParent()) && !Files.exists(caps), "the run's own directory is gone");
        CaptureException e = assertThrows(
                CaptureException.class, () -> PcapRecorder.open(Path.of(""), List.of("node-a"), PODS, false));
        assertEquals("the capture directory's name is empty (name a directory, e.g. /tmp/captures)", e.getMessage());
    }

    private static List<Long> times(Path file) {
        List<Long> t = new ArrayList<>();
        try (PcapReader reader = PcapReader.open(file)) {
            for (CaptureRecord r : reader) {
                t.add(r.timestampNanos());
            }
        }
        return t;
    }
}
