package io.kpsim.oracle;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.pcap.CaptureException;
import io.kpsim.pcap.PcapWriter;
import io.kpsim.replay.ServiceMapping;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded TCP conversations between clients and one single-endpoint ClusterIP service, written as
 * pcap files for the differential test (kernel oracle versus model). Each conversation draws its
 * ISNs, windows, window scales, MSS and segment sizes from the seed and exercises one
 * {@link Kind}: normal lifecycles, packets aimed at each of {@code tcp_in_window()}'s four bounds
 * at and around the edge, RST variants, SYN and SYN-ACK retransmissions, duplicate ACKs,
 * zero-window probes, pickup, odd flag combinations, simultaneous open, SYN in TIME_WAIT and
 * ICMP errors quoting the flow.
 *
 * <p>Why single-endpoint: with several endpoints the kernel's {@code -m statistic} choice is
 * random, and the model's seeded choice cannot match it. The conversations never depend on
 * timeouts (the kernel runs on real time). Each conversation uses its own client port, so
 * conversations in one file do not share conntrack entries or clash in NAT; a server-first pickup
 * has the client answer the pod directly for the same reason (a NAT clash makes the kernel pick a
 * random source port).
 *
 * <p>The differential test:
 * <pre>{@code
 * List<Path> files = new ConversationGenerator(seed).write(dir, 300, 1);
 * OracleReport report = Oracle.run(OracleConfig.of(List.of(ConversationGenerator.SERVICE), beLiberal, dropInvalid),
 *         files, model);   // model: Path -> List<ReplayRecord>, e.g. kpsim replay
 * }</pre>
 */
public final class ConversationGenerator {

    /** What a conversation exercises. */
    public enum Kind {
        CLIENT_CLOSES_FIRST,
        SERVER_CLOSES_FIRST,
        SIMULTANEOUS_CLOSE,
        SEQ_UPPER_BOUND,
        SEQ_LOWER_BOUND,
        ACK_UPPER_BOUND,
        ACK_LOWER_BOUND,
        RST_VARIANTS,
        SYN_RETRANSMIT,
        SYN_ACK_RETRANSMIT,
        DUPLICATE_ACKS,
        ZERO_WINDOW_PROBE,
        BEYOND_WINDOW,
        PICKUP,
        ODD_FLAGS,
        SIMULTANEOUS_OPEN,
        SYN_IN_TIME_WAIT,
        ICMP_ERROR
    }

    /**
     * A generated conversation.
     *
     * @param kind what it exercises
     * @param packets the packets in capture order
     */
    public record Conversation(Kind kind, List<Packet> packets) {}

    /** The service every conversation talks to. */
    public static final ServiceMapping SERVICE = ServiceMapping.parse("10.96.0.10:80=10.244.1.5:8080");

    private static final int[] ODD_FLAGS = {
        TcpFlags.SYN | TcpFlags.FIN,
        TcpFlags.SYN | TcpFlags.RST,
        TcpFlags.FIN,
        0,
        TcpFlags.FIN | TcpFlags.SYN | TcpFlags.RST | TcpFlags.PSH | TcpFlags.ACK | TcpFlags.URG,
        TcpFlags.SYN | TcpFlags.URG,
        TcpFlags.SYN | TcpFlags.PSH,
        TcpFlags.SYN | TcpFlags.ECE | TcpFlags.CWR,
        TcpFlags.FIN | TcpFlags.ACK | TcpFlags.URG,
        TcpFlags.RST | TcpFlags.FIN,
        TcpFlags.SYN | TcpFlags.ACK | TcpFlags.RST,
        TcpFlags.PSH,
        TcpFlags.URG
    };

    private static final long START_NANOS = 1_700_000_000_000_000_000L;

    private final SplittableRandom random;

    /** A generator whose every choice comes from {@code seed}. */
    public ConversationGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** {@code count} conversations cycling through every {@link Kind}, client ports unique. */
    public List<Conversation> conversations(int count) {
        List<Conversation> out = new ArrayList<>(count);
        Kind[] kinds = Kind.values();
        for (int i = 0; i < count; i++) {
            out.add(conversation(kinds[i % kinds.length], i));
        }
        return out;
    }

    /**
     * Writes {@code count} conversations, {@code perFile} to a file, as {@code conv-NNNN.pcap} in
     * {@code dir} (created if missing), and returns the files in order.
     */
    public List<Path> write(Path dir, int count, int perFile) {
        if (perFile < 1) {
            throw new IllegalArgumentException("conversations per file must be at least 1, got " + perFile);
        }
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(dir + ": cannot create the directory: " + e.getMessage(), e);
        }
        List<Conversation> all = conversations(count);
        List<Path> files = new ArrayList<>();
        for (int from = 0; from < all.size(); from += perFile) {
            List<Packet> packets = new ArrayList<>();
            for (Conversation c : all.subList(from, Math.min(all.size(), from + perFile))) {
                packets.addAll(c.packets());
            }
            Path file = dir.resolve(String.format("conv-%04d.pcap", files.size()));
            write(file, packets);
            files.add(file);
        }
        return files;
    }

    /**
     * Writes {@code packets} as an Ethernet pcap file, 1 ms apart (the kernel runs on real time,
     * so the spacing only matters to the model, and the conversations never reach a timeout).
     */
    public static void write(Path file, List<Packet> packets) {
        try (PcapWriter w = PcapWriter.create(file)) {
            long t = START_NANOS;
            for (Packet p : packets) {
                w.write(t, p);
                t += 1_000_000;
            }
        } catch (CaptureException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** One conversation of {@code kind}; {@code serial} picks the client address and port. */
    public Conversation conversation(Kind kind, int serial) {
        int client = Ip4.parse("10.244.0.0") + 2 + serial % 50;
        ServiceMapping.Endpoint pod = SERVICE.endpoints().get(0);
        TcpFlow f = new TcpFlow(client, 20000 + serial % 40000, SERVICE.vip(), SERVICE.port(), pod.ip(), pod.port());
        for (TcpFlow.Side side : List.of(f.c, f.s)) {
            side.next = random.nextInt();
            side.mss = 536 + random.nextInt(1460 - 536 + 1);
            side.window = 1 + random.nextInt(65535);
        }
        int cScale = random.nextInt(5) == 0 ? TcpOptions.ABSENT : random.nextInt(15);
        int sScale = random.nextInt(5) == 0 ? TcpOptions.ABSENT : random.nextInt(15);
        body(kind, f, cScale, sScale);
        return new Conversation(kind, List.copyOf(f.packets()));
    }

    private void body(Kind kind, TcpFlow f, int cScale, int sScale) {
        switch (kind) {
            case CLIENT_CLOSES_FIRST, SERVER_CLOSES_FIRST -> {
                f.handshake(cScale, sScale);
                exchange(f);
                f.close(kind == Kind.CLIENT_CLOSES_FIRST ? f.c : f.s);
            }
            case SIMULTANEOUS_CLOSE -> {
                f.handshake(cScale, sScale);
                exchange(f);
                f.simultaneousClose();
            }
            case SEQ_UPPER_BOUND, SEQ_LOWER_BOUND, ACK_UPPER_BOUND, ACK_LOWER_BOUND -> {
                f.handshake(cScale, sScale);
                exchange(f);
                probeBound(f, kind, random.nextBoolean() ? f.s : f.c);
                exchange(f);
                f.close(random.nextBoolean() ? f.c : f.s);
            }
            case RST_VARIANTS -> rst(f, cScale, sScale);
            case SYN_RETRANSMIT -> {
                int isn = f.c.next;
                f.send(f.c, isn, 0, TcpFlags.SYN, f.c.window, TcpOptions.syn(f.c.mss, cScale, true), 0);
                int second = random.nextBoolean() ? isn : isn + random.nextInt(200_000) - 100_000;
                f.c.next = second;
                f.handshake(cScale, sScale);
                exchange(f);
                f.close(f.c);
            }
            case SYN_ACK_RETRANSMIT -> {
                f.handshake(cScale, sScale);
                int changed = random.nextInt(3);
                int isn = changed == 0 ? f.s.next - 1 : f.s.next - 1 + random.nextInt(1 << 20) + 1;
                f.send(
                        f.s,
                        isn,
                        f.c.next,
                        TcpFlags.SYN | TcpFlags.ACK,
                        f.s.window,
                        TcpOptions.syn(f.s.mss, sScale, true),
                        0);
                exchange(f);
                f.close(f.s);
            }
            case DUPLICATE_ACKS -> {
                f.handshake(cScale, sScale);
                f.data(f.s, 1 + random.nextInt(3000));
                for (int i = 0, n = 2 + random.nextInt(3); i < n; i++) {
                    f.send(f.c, f.c.next, f.s.next, TcpFlags.ACK, f.c.window, TcpOptions.NONE, 0);
                }
                exchange(f);
                f.close(f.c);
            }
            case ZERO_WINDOW_PROBE -> {
                f.handshake(cScale, sScale);
                f.send(f.s, f.s.next, f.c.next, TcpFlags.ACK, 0, TcpOptions.NONE, 0);
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                    f.send(f.c, f.c.next, f.s.next, TcpFlags.ACK, f.c.window, TcpOptions.NONE, 1);
                    f.send(f.s, f.s.next, f.c.next, TcpFlags.ACK, 0, TcpOptions.NONE, 0);
                }
                f.segment(f.s, 0, 0);
                exchange(f);
                f.close(f.c);
            }
            case BEYOND_WINDOW -> {
                f.handshake(cScale, sScale);
                TcpFlow.Side from = random.nextBoolean() ? f.c : f.s;
                int over = 1 + random.nextInt(3000);
                int seq = from.tdMaxEnd - Math.min(from.mss, 1000);
                f.send(
                        from,
                        seq,
                        f.peer(from).next,
                        TcpFlags.ACK,
                        from.window,
                        TcpOptions.NONE,
                        from.tdMaxEnd - seq + over);
                exchange(f);
                f.close(f.c);
            }
            case PICKUP -> {
                TcpFlow.Side first = random.nextInt(3) == 0 ? f.s : f.c;
                if (first == f.s) {
                    f.clientToPod();
                }
                f.segment(first, TcpFlags.PSH, 1 + random.nextInt(first.mss));
                f.segment(f.peer(first), 0, 0);
                exchange(f);
                f.close(f.c);
            }
            case ODD_FLAGS -> {
                boolean midStream = random.nextBoolean();
                if (midStream) {
                    f.handshake(cScale, sScale);
                }
                int flags = ODD_FLAGS[random.nextInt(ODD_FLAGS.length)];
                TcpFlow.Side from = random.nextBoolean() ? f.c : f.s;
                f.send(
                        from,
                        from.next,
                        f.peer(from).next,
                        flags,
                        from.window,
                        TcpFlags.has(flags, TcpFlags.SYN) ? TcpOptions.syn(from.mss, cScale, true) : TcpOptions.NONE,
                        0);
                if (midStream) {
                    exchange(f);
                    f.close(f.c);
                }
            }
            case SIMULTANEOUS_OPEN -> {
                Packet syn =
                        f.send(f.c, f.c.next, 0, TcpFlags.SYN, f.c.window, TcpOptions.syn(f.c.mss, cScale, true), 0);
                Packet ssyn =
                        f.send(f.s, f.s.next, 0, TcpFlags.SYN, f.s.window, TcpOptions.syn(f.s.mss, sScale, true), 0);
                f.c.next = syn.tcp().end();
                f.s.next = ssyn.tcp().end();
                f.send(
                        f.c,
                        f.c.next - 1,
                        f.s.next,
                        TcpFlags.SYN | TcpFlags.ACK,
                        f.c.window,
                        TcpOptions.syn(f.c.mss, cScale, true),
                        0);
                f.send(
                        f.s,
                        f.s.next - 1,
                        f.c.next,
                        TcpFlags.SYN | TcpFlags.ACK,
                        f.s.window,
                        TcpOptions.syn(f.s.mss, sScale, true),
                        0);
                exchange(f);
                f.close(f.c);
            }
            case SYN_IN_TIME_WAIT -> {
                f.handshake(cScale, sScale);
                exchange(f);
                f.close(f.c);
                if (random.nextInt(3) == 0) {
                    f.send(
                            f.s,
                            f.s.next + 100_000,
                            0,
                            TcpFlags.SYN,
                            f.s.window,
                            TcpOptions.syn(f.s.mss, sScale, true),
                            0);
                } else {
                    f.c.next += 1 + random.nextInt(1_000_000);
                    f.s.next = random.nextInt();
                    f.handshake(cScale, sScale);
                    exchange(f);
                    f.close(f.s);
                }
            }
            case ICMP_ERROR -> {
                f.handshake(cScale, sScale);
                exchange(f);
                f.icmpError(random.nextBoolean() ? f.s : f.c, random.nextBoolean() ? 3 : 4);
                exchange(f);
                f.close(f.c);
            }
        }
    }

    /** A request/response exchange of random sizes. */
    private void exchange(TcpFlow f) {
        f.data(f.c, 1 + random.nextInt(2 * f.c.mss));
        f.data(f.s, 1 + random.nextInt(4 * f.s.mss));
    }

    /** A segment from {@code from} at one of the four bounds, offset by -2..+2 (or a window beyond). */
    private void probeBound(TcpFlow f, Kind kind, TcpFlow.Side from) {
        TcpFlow.Side to = f.peer(from);
        int delta = random.nextInt(5) - 2;
        int length = random.nextBoolean() ? 0 : 1 + random.nextInt(from.mss);
        int seq = from.next;
        int ack = to.next;
        switch (kind) {
            case SEQ_UPPER_BOUND -> seq = from.tdMaxEnd + delta + (random.nextInt(3) == 0 ? to.tdMaxWin : 0);
            case SEQ_LOWER_BOUND -> seq = from.tdEnd - to.tdMaxWin - length + delta;
            case ACK_UPPER_BOUND -> ack = to.tdEnd + delta;
            case ACK_LOWER_BOUND -> ack = to.tdEnd - Math.max(from.tdMaxWin, 66000) + delta;
            default -> throw new IllegalStateException(kind + " is not a window bound");
        }
        f.send(from, seq, ack, TcpFlags.ACK | (length > 0 ? TcpFlags.PSH : 0), from.window, TcpOptions.NONE, length);
    }

    private void rst(TcpFlow f, int cScale, int sScale) {
        f.handshake(cScale, sScale);
        exchange(f);
        TcpFlow.Side from = random.nextBoolean() ? f.c : f.s;
        switch (random.nextInt(6)) {
            case 0 -> f.send(from, from.next, 0, TcpFlags.RST, 0, TcpOptions.NONE, 0);
            case 1 -> f.send(from, from.next, f.peer(from).next, TcpFlags.RST | TcpFlags.ACK, 0, TcpOptions.NONE, 0);
            case 2 -> f.send(from, from.next + 1 + random.nextInt(1000), 0, TcpFlags.RST, 0, TcpOptions.NONE, 0);
            case 3 -> f.send(from, from.tdMaxEnd + 1 + random.nextInt(3), 0, TcpFlags.RST, 0, TcpOptions.NONE, 0);
            case 4 -> {
                f.send(from, from.next, f.peer(from).next, TcpFlags.RST | TcpFlags.ACK, 0, TcpOptions.NONE, 0);
                f.send(from, from.next, f.peer(from).next, TcpFlags.RST | TcpFlags.ACK, 0, TcpOptions.NONE, 0);
            }
            default -> {
                f.segment(from, TcpFlags.FIN, 0);
                f.send(f.peer(from), f.peer(from).next, from.next, TcpFlags.RST | TcpFlags.ACK, 0, TcpOptions.NONE, 0);
            }
        }
        f.segment(f.c, TcpFlags.PSH, 1 + random.nextInt(f.c.mss));
    }
}
