package io.kpsim.bench;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtResult;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.PackedResult;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.TcpHeaderFields;
import io.kpsim.conntrack.profile.KernelProfile;
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
 *   <li>{@code packedPath}: {@link Conntrack#inTcp} with the segment's fields set by name in a
 *       reused {@link TcpHeaderFields}, the allocation-free path (expect
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
    private static final int SYN_OPTIONS = TcpHeaderFields.optionBits(TcpOptions.syn(1460, 7, true));
    private static final int NO_OPTIONS = TcpHeaderFields.optionBits(TcpOptions.NONE);
    private static final long STEP_NANOS = 1_000;

    /** A tracker holding {@code connections} established connections, and their sequence numbers. */
    @State(Scope.Thread)
    public static class Table {
        @Param({"1024", "65536", "1048576"})
        public int connections;

        Conntrack conntrack;
        final TcpHeaderFields fields = new TcpHeaderFields();
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
            Sysctls sysctls = Sysctls.defaults(KernelProfile.V6_18)
                    .with("net.netfilter.nf_conntrack_max", Integer.toString(2 * connections));
            conntrack = new Conntrack(KernelProfile.V6_18, sysctls, SEED);
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
                fromClient(i).seq(c).ack(0).flags(TcpFlags.SYN).window(64240);
                int syn = conntrack.inTcp(fields.payloadLength(0).options(SYN_OPTIONS), true, now);
                expect(PackedResult.NEW, syn, "SYN", i);
                conntrack.confirm(PackedResult.entry(syn), now);
                fromServer(i)
                        .seq(s)
                        .ack(c + 1)
                        .flags(TcpFlags.SYN | TcpFlags.ACK)
                        .window(65160);
                fields.payloadLength(0).options(SYN_OPTIONS);
                expect(PackedResult.ESTABLISHED, conntrack.inTcp(fields, true, now), "SYN-ACK", i);
                fromClient(i).seq(c + 1).ack(s + 1).flags(TcpFlags.ACK).window(WINDOW);
                fields.payloadLength(0).options(NO_OPTIONS);
                expect(PackedResult.ESTABLISHED, conntrack.inTcp(fields, true, now), "ACK", i);
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
                fromServer(i).seq(serverSeq[i]).ack(clientSeq[i]).flags(TcpFlags.ACK);
                fields.window(WINDOW).payloadLength(0).options(NO_OPTIONS);
                return conntrack.inTcp(fields, true, now);
            }
            serverNext[i] = true;
            int seq = clientSeq[i];
            clientSeq[i] = seq + PAYLOAD;
            fromClient(i).seq(seq).ack(serverSeq[i]).flags(TcpFlags.PSH | TcpFlags.ACK);
            fields.window(WINDOW).payloadLength(PAYLOAD).options(NO_OPTIONS);
            return conntrack.inTcp(fields, true, now);
        }

        /** The holder with connection {@code i}'s client-to-server addresses and ports. */
        private TcpHeaderFields fromClient(int i) {
            return fields.srcIp(clientIp[i])
                    .dstIp(SERVER)
                    .srcPort(clientPort[i])
                    .dstPort(SERVER_PORT);
        }

        /** The holder with connection {@code i}'s server-to-client addresses and ports. */
        private TcpHeaderFields fromServer(int i) {
            return fields.srcIp(SERVER).dstIp(clientIp[i]).srcPort(SERVER_PORT).dstPort(clientPort[i]);
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
                        + " (" + conntrack.lastReason().words() + ")");
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
