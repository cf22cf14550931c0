package io.kpsim.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.pcap.PcapWriter;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay's memory is flat in the capture's length (issue 17): a capture four times as long holds no
 * more live objects once the node's state has reached its steady size. One capture of
 * {@value #TOTAL} records (short connections through a ClusterIP service, 10 ms apart, the client
 * tuples reused 320 s later, as ephemeral ports are) is replayed in-process into both output
 * writers; the heap is measured after full collections just before record {@value #QUARTER} (capture
 * time 500 s: closed connections' TIME_WAIT entries come and go, the endpoint names are all cached)
 * and again just before the last record. Whatever the replay kept per record (a list of records, an
 * index entry per packet) would show as at least 16 bytes for each of the 150,000 records between,
 * 2.3 MiB; the bound is 1 MiB, and the second test checks that such a leak is caught.
 */
class ReplayMemoryFlatTest {

    static final int QUARTER = 50_000;
    static final int TOTAL = 4 * QUARTER;
    /** Retained growth allowed between the two points. */
    static final long BOUND = 1L << 20;
    /** Measurements before each point. */
    static final int SAMPLES = 5;
    /** Records between two measurements. */
    static final int SPACING = 997;

    private static final int VIP = Ip4.parse("10.96.0.10");
    private static final int POD = Ip4.parse("10.244.2.3");
    private static final int CLIENT_BASE = Ip4.parse("10.244.1.0");
    private static final long GAP_NANOS = 10_000_000L;
    private static final int CONCURRENT = 50;
    private static final int TUPLES = 4000;

    @TempDir
    Path dir;

    @Test
    void retainedHeapDoesNotGrowWithTheCapture() {
        long growth = growth(false);
        assertTrue(growth < BOUND, "retained heap grew by " + growth + " bytes over " + (TOTAL - QUARTER) + " records");
    }

    /** The measurement sees a leak of one empty {@code long[]} (16 bytes) per record: the test above can fail. */
    @Test
    void aSinkKeepingSixteenBytesPerRecordIsCaught() {
        long growth = growth(true);
        assertTrue(growth > BOUND, "a leak of " + (TOTAL - QUARTER) * 16L + " bytes showed as " + growth);
    }

    /**
     * Replays the capture into both writers and returns how much the heap retained at the end grew
     * over what it retained after the first quarter: the smallest of {@value #SAMPLES} measurements
     * {@value #SPACING} records apart before each point, so that the records in flight (the read-ahead's
     * batches, the writers' queues), which vary from one moment to the next, count as little as they can.
     *
     * @param leak whether the sink keeps a small object per record (the self-check)
     */
    private long growth(boolean leak) {
        Path capture = dir.resolve("long.pcap");
        if (!capture.toFile().exists()) {
            write(capture);
        }
        Replayer replayer = new Replayer(
                new NodeConfig(
                        List.of(ServiceMapping.parse("10.96.0.10:80=10.244.2.3:8080")),
                        KernelProfile.V6_18,
                        Sysctls.defaults(KernelProfile.V6_18),
                        false,
                        1),
                false);
        JsonLinesWriter jsonl = new JsonLinesWriter(OutputStream.nullOutputStream());
        ReplayTextWriter text = new ReplayTextWriter(new PrintWriter(Writer.nullWriter()), "long.pcap");
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long[] least = {Long.MAX_VALUE, Long.MAX_VALUE};
        long[] seen = new long[1];
        List<long[]> kept = new ArrayList<>();
        Consumer<ReplayStep> sink = step -> {
            jsonl.record(step.record());
            text.record(step);
            if (leak) {
                kept.add(new long[0]);
            }
            int index = step.record().index();
            for (int point = 0; point < 2; point++) {
                int before = (point == 0 ? QUARTER : TOTAL) - 1 - index;
                if (before >= 0 && before < SAMPLES * SPACING && before % SPACING == 0) {
                    least[point] = Math.min(least[point], retained(memory));
                }
            }
            seen[0]++;
        };
        CaptureCensus census = replayer.replay(capture, "long.pcap", sink);
        jsonl.flush();
        text.finish();
        assertEquals(TOTAL, seen[0]);
        assertEquals(TOTAL, census.received(), census.classification());
        assertEquals(leak ? TOTAL : 0, kept.size());
        return least[1] - least[0];
    }

    /** Heap in use after a full collection (two, so that finalizable and weakly held objects are gone). */
    private static long retained(MemoryMXBean memory) {
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** {@value #TOTAL} records: {@value #CONCURRENT} connections open at a time, each a short exchange. */
    private static void write(Path file) {
        List<Connection> open = new ArrayList<>();
        int started = 0;
        for (int i = 0; i < CONCURRENT; i++) {
            open.add(new Connection(started++));
        }
        long now = 1_700_000_000_000_000_000L;
        try (PcapWriter writer = PcapWriter.create(file)) {
            for (int n = 0; n < TOTAL; n++) {
                int i = n % CONCURRENT;
                Connection c = open.get(i);
                writer.write(now, c.next());
                if (c.done()) {
                    open.set(i, new Connection(started++));
                }
                now += GAP_NANOS;
            }
        }
    }

    /** One connection: handshake, a request and its answer, the client's close; eight packets. */
    private static final class Connection {
        private final int client;
        private final int port;
        private final int clientIsn;
        private final int serverIsn;
        private int step;

        Connection(int id) {
            int tuple = id % TUPLES; // reused 4,000 connections later: 320 s on, long after TIME_WAIT
            client = CLIENT_BASE + 1 + tuple % 200;
            port = 30_000 + tuple / 200;
            clientIsn = id * 7919;
            serverIsn = id * 104_729;
        }

        boolean done() {
            return step == 8;
        }

        Packet next() {
            int c = clientIsn;
            int s = serverIsn;
            Packet p = switch (step) {
                case 0 -> fromClient(TcpFlags.SYN, c, 0, TcpOptions.syn(1460, 7, true), 0);
                case 1 -> fromServer(TcpFlags.SYN | TcpFlags.ACK, s, c + 1, TcpOptions.syn(1460, 7, true), 0);
                case 2 -> fromClient(TcpFlags.ACK, c + 1, s + 1, TcpOptions.NONE, 0);
                case 3 -> fromClient(TcpFlags.PSH | TcpFlags.ACK, c + 1, s + 1, TcpOptions.NONE, 100);
                case 4 -> fromServer(TcpFlags.PSH | TcpFlags.ACK, s + 1, c + 101, TcpOptions.NONE, 200);
                case 5 -> fromClient(TcpFlags.FIN | TcpFlags.ACK, c + 101, s + 201, TcpOptions.NONE, 0);
                case 6 -> fromServer(TcpFlags.FIN | TcpFlags.ACK, s + 201, c + 102, TcpOptions.NONE, 0);
                case 7 -> fromClient(TcpFlags.ACK, c + 102, s + 202, TcpOptions.NONE, 0);
                default -> throw new IllegalStateException("connection closed");
            };
            step++;
            return p;
        }

        private Packet fromClient(int flags, int seq, int ack, TcpOptions options, int length) {
            return Packet.tcp(client, VIP, new TcpSegment(port, 80, seq, ack, flags, 502, 0, options, length));
        }

        private Packet fromServer(int flags, int seq, int ack, TcpOptions options, int length) {
            return Packet.tcp(POD, client, new TcpSegment(8080, port, seq, ack, flags, 502, 0, options, length));
        }
    }
}
