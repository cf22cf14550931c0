package io.kpsim.bench;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.pcap.PcapWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a seeded capture of many interleaved TCP connections through ClusterIP services, as a
 * node's client-side device would see them: the client's packets addressed to the service VIP,
 * the server pod's replies from the pod IP (what the node reverse-NATs). The load for
 * {@code kpsim replay} throughput, and for {@link ReplayThroughputBenchmark}.
 *
 * <p>Every connection is well formed for conntrack ({@code tcp_in_window()} accepts every
 * segment): a handshake with MSS, window scale 7 and SACK-permitted, one to eight request/response
 * rounds (client request, server response, client ACK), and a client-initiated close
 * (FIN, FIN-ACK, ACK). {@code concurrent} connections are open at any time; each packet comes from
 * one of them picked at random, and a finished connection is replaced by a new one with a fresh
 * client address and port, so no tuple is reused. The capture stops after exactly
 * {@code packets} records, leaving the open connections mid-flight.
 *
 * <p>Each service has a single endpoint so that the reply source is known without knowing which
 * endpoint the node's {@code -m statistic} rule would pick.
 */
public final class ReplayCaptureGenerator {

    /** Number of ClusterIP services the connections are spread over. */
    public static final int SERVICES = 4;

    private static final int VIP_BASE = Ip4.parse("10.96.0.10");
    private static final int SERVER_BASE = Ip4.parse("10.244.200.1");
    private static final int CLIENT_BASE = Ip4.parse("10.244.0.0");
    private static final int SERVICE_PORT = 80;
    private static final int TARGET_PORT = 8080;
    private static final int CLIENT_ADDRESSES = 4000;
    private static final int FIRST_CLIENT_PORT = 10_000;
    private static final int WINDOW = 502; // << 7 = 64,256 bytes, Linux's usual initial receive window
    private static final int WINDOW_SCALE = 7;
    private static final int MSS = 1460;
    private static final long START_NANOS = 1_700_000_000_000_000_000L;
    private static final long BENCHMARK_SEED = 0x6b707369L;

    private final long seed;
    private final int packets;
    private final int concurrent;
    /** Mean gap between records in capture time, in nanoseconds. */
    private int gapNanos = 1000;

    /**
     * A generator.
     *
     * @param seed seeds every choice (connection order, lengths, sequence numbers)
     * @param packets records to write
     * @param concurrent connections open at any time
     */
    public ReplayCaptureGenerator(long seed, int packets, int concurrent) {
        if (packets < 1 || concurrent < 1) {
            throw new IllegalArgumentException(
                    "packets and concurrent connections must be positive, got " + packets + " and " + concurrent);
        }
        this.seed = seed;
        this.packets = packets;
        this.concurrent = concurrent;
    }

    /**
     * The capture the JMH benchmarks read ({@link ReplayThroughputBenchmark}, {@code PcapReaderBenchmark}):
     * {@code packets / 50} connections open at a time (at least 1, at most 20,000), a fixed seed, so
     * both measure the same bytes at each size.
     */
    public static ReplayCaptureGenerator benchmarkCapture(int packets) {
        return new ReplayCaptureGenerator(BENCHMARK_SEED, packets, Math.max(1, Math.min(20_000, packets / 50)));
    }

    /** The {@code --service} arguments {@code kpsim replay} needs for the capture. */
    public static List<String> serviceArgs() {
        List<String> args = new ArrayList<>();
        for (int s = 0; s < SERVICES; s++) {
            args.add(Ip4.format(VIP_BASE + s, SERVICE_PORT) + "=" + Ip4.format(SERVER_BASE + s, TARGET_PORT));
        }
        return args;
    }

    /**
     * Sets the mean gap between records (default 1 µs: a busy node). A gap of 100 µs spreads 10M
     * records over 1,000 s of capture time, so closed connections leave conntrack's table
     * (TIME_WAIT, 120 s) as they would on a node, and the table stops growing with the capture.
     */
    public ReplayCaptureGenerator gapNanos(int nanos) {
        if (nanos < 2) {
            throw new IllegalArgumentException("the gap between records must be 2 ns to 2.1 s, got " + nanos);
        }
        this.gapNanos = nanos;
        return this;
    }

    /** Writes the capture (Ethernet, nanosecond pcap) to {@code file}. */
    public void write(Path file) {
        SplittableRandom random = new SplittableRandom(seed);
        Connection[] open = new Connection[concurrent];
        int started = 0;
        for (int i = 0; i < concurrent; i++) {
            open[i] = new Connection(started++, random);
        }
        long now = START_NANOS;
        try (PcapWriter writer = PcapWriter.create(file)) {
            for (int n = 0; n < packets; n++) {
                int i = random.nextInt(concurrent);
                Connection c = open[i];
                writer.write(now, c.next(random));
                if (c.finished()) {
                    open[i] = new Connection(started++, random);
                }
                now += gapNanos / 2 + random.nextInt(gapNanos); // 500 + [0, 1000) at the default
            }
        }
    }

    /**
     * Command line: {@code ReplayCaptureGenerator FILE [PACKETS [CONCURRENT [SEED [GAP_NS]]]]} writes the
     * capture and prints the {@code --service} arguments; {@code ReplayCaptureGenerator --services}
     * only prints them.
     */
    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--services")) {
            System.out.println(String.join(
                    " ", serviceArgs().stream().map(s -> "--service " + s).toList()));
            return;
        }
        if (args.length < 1) {
            System.err.println("usage: ReplayCaptureGenerator FILE [PACKETS [CONCURRENT [SEED [GAP_NS]]]]");
            System.exit(2);
        }
        int packets = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int concurrent = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        int gap = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
        new ReplayCaptureGenerator(seed, packets, concurrent).gapNanos(gap).write(Path.of(args[0]));
        System.out.println(String.join(
                " ", serviceArgs().stream().map(s -> "--service " + s).toList()));
    }

    /** One connection's script, emitted a packet at a time. */
    private static final class Connection {
        private static final int SYN = 0;
        private static final int SYN_ACK = 1;
        private static final int HANDSHAKE_ACK = 2;
        private static final int REQUEST = 3;
        private static final int RESPONSE = 4;
        private static final int RESPONSE_ACK = 5;
        private static final int CLIENT_FIN = 6;
        private static final int SERVER_FIN = 7;
        private static final int LAST_ACK = 8;
        private static final int DONE = 9;

        private final int client;
        private final int clientPort;
        private final int vip;
        private final int server;
        private int clientSeq;
        private int serverSeq;
        private int rounds;
        private int step = SYN;

        Connection(int id, SplittableRandom random) {
            client = CLIENT_BASE + 1 + id % CLIENT_ADDRESSES;
            clientPort = FIRST_CLIENT_PORT + id / CLIENT_ADDRESSES;
            if (clientPort > 65535) {
                throw new IllegalArgumentException("too many connections for unique client tuples: " + id);
            }
            int service = random.nextInt(SERVICES);
            vip = VIP_BASE + service;
            server = SERVER_BASE + service;
            clientSeq = random.nextInt();
            serverSeq = random.nextInt();
            rounds = 1 + random.nextInt(8);
        }

        boolean finished() {
            return step == DONE;
        }

        Packet next(SplittableRandom random) {
            return switch (step) {
                case SYN -> {
                    step = SYN_ACK;
                    yield fromClient(clientSeq++, 0, TcpFlags.SYN, synOptions(), 0);
                }
                case SYN_ACK -> {
                    step = HANDSHAKE_ACK;
                    yield fromServer(serverSeq++, clientSeq, TcpFlags.SYN | TcpFlags.ACK, synOptions(), 0);
                }
                case HANDSHAKE_ACK -> {
                    step = REQUEST;
                    yield fromClient(clientSeq, serverSeq, TcpFlags.ACK, TcpOptions.NONE, 0);
                }
                case REQUEST -> {
                    step = RESPONSE;
                    int length = 40 + random.nextInt(300);
                    Packet p = fromClient(clientSeq, serverSeq, TcpFlags.PSH | TcpFlags.ACK, TcpOptions.NONE, length);
                    clientSeq += length;
                    yield p;
                }
                case RESPONSE -> {
                    step = RESPONSE_ACK;
                    int length = 100 + random.nextInt(MSS - 100);
                    Packet p = fromServer(serverSeq, clientSeq, TcpFlags.PSH | TcpFlags.ACK, TcpOptions.NONE, length);
                    serverSeq += length;
                    yield p;
                }
                case RESPONSE_ACK -> {
                    step = --rounds > 0 ? REQUEST : CLIENT_FIN;
                    yield fromClient(clientSeq, serverSeq, TcpFlags.ACK, TcpOptions.NONE, 0);
                }
                case CLIENT_FIN -> {
                    step = SERVER_FIN;
                    yield fromClient(clientSeq++, serverSeq, TcpFlags.FIN | TcpFlags.ACK, TcpOptions.NONE, 0);
                }
                case SERVER_FIN -> {
                    step = LAST_ACK;
                    yield fromServer(serverSeq++, clientSeq, TcpFlags.FIN | TcpFlags.ACK, TcpOptions.NONE, 0);
                }
                case LAST_ACK -> {
                    step = DONE;
                    yield fromClient(clientSeq, serverSeq, TcpFlags.ACK, TcpOptions.NONE, 0);
                }
                default -> throw new IllegalStateException("connection already closed");
            };
        }

        private static TcpOptions synOptions() {
            return TcpOptions.syn(MSS, WINDOW_SCALE, true);
        }

        private Packet fromClient(int seq, int ack, int flags, TcpOptions options, int length) {
            int window = (flags & TcpFlags.SYN) != 0 ? 64240 : WINDOW;
            return Packet.tcp(
                    client, vip, new TcpSegment(clientPort, SERVICE_PORT, seq, ack, flags, window, 0, options, length));
        }

        private Packet fromServer(int seq, int ack, int flags, TcpOptions options, int length) {
            int window = (flags & TcpFlags.SYN) != 0 ? 65160 : WINDOW;
            return Packet.tcp(
                    server,
                    client,
                    new TcpSegment(TARGET_PORT, clientPort, seq, ack, flags, window, 0, options, length));
        }
    }
}
