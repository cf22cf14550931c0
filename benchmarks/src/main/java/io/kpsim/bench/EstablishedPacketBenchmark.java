package io.kpsim.bench;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtResult;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.KernelVersion;
import io.kpsim.conntrack.PackedResult;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One packet on an established TCP connection per operation, through {@link Conntrack} as
 * {@code nf_conntrack_in()} handles it: the lookup by either tuplehash, {@code tcp_in_window()}
 * (the four bounds, {@code td_end}/{@code td_maxend}/{@code td_maxwin} updates, retransmission
 * counting) and the state/timeout update, in a table of {@code connections} established
 * connections (two keys each).
 *
 * <p>Connections are visited in a fixed random order. Each visit alternates the connection's
 * direction: the client sends 100 bytes, then the server acknowledges them, so every segment is
 * in window and every result is ESTABLISHED (checked in setup) without the table changing shape.
 *
 * <ul>
 *   <li>{@code packedPath}: {@link Conntrack#inTcp}, the allocation-free path (expect
 *       {@code gc.alloc.rate.norm} of 0 B/op with {@code -prof gc});</li>
 *   <li>{@code recordPath}: the baseline, the same segment built as a {@link Packet} record and
 *       handed to {@link Conntrack#in}, as a caller at package boundaries does (it allocates the
 *       packet, the segment and the {@link CtResult}).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class EstablishedPacketBenchmark {

    private static final long SEED = 0x6b707369L;
    private static final int CLIENT_BASE = 0x0af40000; // 10.244.0.0
    private static final int SERVER = 0x0af4c801; // 10.244.200.1
    private static final int SERVER_PORT = 8080;
    private static final int PAYLOAD = 100;
    private static final int WINDOW = 502; // scaled by 7: 64,256 bytes
    private static final int SYN_OPTIONS = Conntrack.tcpOptionBits(TcpOptions.syn(1460, 7, true));
    private static final int NO_OPTIONS = Conntrack.tcpOptionBits(TcpOptions.NONE);
    private static final long STEP_NANOS = 1_000;

    /** A tracker holding {@code connections} established connections, and their sequence numbers. */
    @State(Scope.Thread)
    public static class Table {
        @Param({"1024", "65536", "1048576"})
        public int connections;

        Conntrack conntrack;
        int[] clientIp;
        int[] clientPort;
        int[] clientSeq;
        int[] serverSeq;
        boolean[] serverNext;
        int[] order;
        int mask;
        int cursor;
        long now;

        @Setup(Level.Trial)
        public void establish() {
            Sysctls sysctls = Sysctls.defaults(KernelVersion.V6_18)
                    .with("net.netfilter.nf_conntrack_max", Integer.toString(2 * connections));
            conntrack = new Conntrack(KernelVersion.V6_18, sysctls, SEED);
            clientIp = new int[connections];
            clientPort = new int[connections];
            clientSeq = new int[connections];
            serverSeq = new int[connections];
            serverNext = new boolean[connections];
            SplittableRandom random = new SplittableRandom(SEED);
            now = 1_000_000_000L;
            for (int i = 0; i < connections; i++) {
                clientIp[i] = CLIENT_BASE + 1 + i % 60_000;
                clientPort[i] = 1024 + i / 60_000;
                int c = random.nextInt();
                int s = random.nextInt();
                int syn = conntrack.inTcp(
                        clientIp[i],
                        SERVER,
                        clientPort[i],
                        SERVER_PORT,
                        c,
                        0,
                        0,
                        TcpFlags.SYN,
                        64240,
                        0,
                        SYN_OPTIONS,
                        true,
                        now);
                expect(PackedResult.NEW, syn, "SYN", i);
                conntrack.confirm(PackedResult.entry(syn), now);
                expect(
                        PackedResult.ESTABLISHED,
                        conntrack.inTcp(
                                SERVER,
                                clientIp[i],
                                SERVER_PORT,
                                clientPort[i],
                                s,
                                c + 1,
                                c + 1,
                                TcpFlags.SYN | TcpFlags.ACK,
                                65160,
                                0,
                                SYN_OPTIONS,
                                true,
                                now),
                        "SYN-ACK",
                        i);
                expect(
                        PackedResult.ESTABLISHED,
                        conntrack.inTcp(
                                clientIp[i],
                                SERVER,
                                clientPort[i],
                                SERVER_PORT,
                                c + 1,
                                s + 1,
                                s + 1,
                                TcpFlags.ACK,
                                WINDOW,
                                0,
                                NO_OPTIONS,
                                true,
                                now),
                        "ACK",
                        i);
                clientSeq[i] = c + 1;
                serverSeq[i] = s + 1;
            }
            order = new int[connections];
            for (int i = 0; i < connections; i++) {
                order[i] = i;
            }
            for (int i = connections - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            mask = connections - 1; // sizes are powers of two
            for (int i = 0; i < 2 * connections; i++) {
                expect(PackedResult.ESTABLISHED, packed(), "data", i);
            }
        }

        /** The next segment through the allocation-free path. */
        int packed() {
            int i = order[cursor++ & mask];
            now += STEP_NANOS;
            if (serverNext[i]) {
                serverNext[i] = false;
                return conntrack.inTcp(
                        SERVER,
                        clientIp[i],
                        SERVER_PORT,
                        clientPort[i],
                        serverSeq[i],
                        clientSeq[i],
                        clientSeq[i],
                        TcpFlags.ACK,
                        WINDOW,
                        0,
                        NO_OPTIONS,
                        true,
                        now);
            }
            serverNext[i] = true;
            int seq = clientSeq[i];
            clientSeq[i] = seq + PAYLOAD;
            return conntrack.inTcp(
                    clientIp[i],
                    SERVER,
                    clientPort[i],
                    SERVER_PORT,
                    seq,
                    serverSeq[i],
                    serverSeq[i],
                    TcpFlags.PSH | TcpFlags.ACK,
                    WINDOW,
                    PAYLOAD,
                    NO_OPTIONS,
                    true,
                    now);
        }

        /** The same segment as a record through {@link Conntrack#in}. */
        CtResult record() {
            int i = order[cursor++ & mask];
            now += STEP_NANOS;
            if (serverNext[i]) {
                serverNext[i] = false;
                return conntrack.in(
                        Packet.tcp(
                                SERVER,
                                clientIp[i],
                                new TcpSegment(
                                        SERVER_PORT,
                                        clientPort[i],
                                        serverSeq[i],
                                        clientSeq[i],
                                        TcpFlags.ACK,
                                        WINDOW,
                                        0,
                                        TcpOptions.NONE,
                                        0)),
                        true,
                        now);
            }
            serverNext[i] = true;
            int seq = clientSeq[i];
            clientSeq[i] = seq + PAYLOAD;
            return conntrack.in(
                    Packet.tcp(
                            clientIp[i],
                            SERVER,
                            new TcpSegment(
                                    clientPort[i],
                                    SERVER_PORT,
                                    seq,
                                    serverSeq[i],
                                    TcpFlags.PSH | TcpFlags.ACK,
                                    WINDOW,
                                    0,
                                    TcpOptions.NONE,
                                    PAYLOAD)),
                    true,
                    now);
        }

        private void expect(int kind, int packed, String what, int i) {
            if (PackedResult.kind(packed) != kind) {
                throw new IllegalStateException(what + " of connection " + i + " gave kind " + PackedResult.kind(packed)
                        + " (" + conntrack.lastReason() + ")");
            }
        }
    }

    @Benchmark
    public int packedPath(Table t) {
        return t.packed();
    }

    @Benchmark
    public CtState recordPath(Table t) {
        return t.record().state();
    }
}
