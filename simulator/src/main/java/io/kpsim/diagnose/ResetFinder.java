package io.kpsim.diagnose;

import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.Tuple;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpSegment;
import io.kpsim.replay.ReplayRecord;
import io.kpsim.replay.ReplayStep;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads one file's replayed packets in order and finds every reset and its cause.
 *
 * <p>The pattern it looks for is the one conntrack produces when {@code tcp_in_window()} fails
 * for a reply ({@code nf_conntrack_proto_tcp.c}): the packet is INVALID, so {@code nf_nat_inet_fn()}
 * never reverse-NATs it and it reaches the client with the pod's address as its source. The client
 * has no socket for that address and answers with a RST ({@code tcp_v4_send_reset()}, RFC 9293
 * 3.10.7.1) addressed to the pod itself, which conntrack cannot match to the connection either
 * (INVALID, "invalid new" or no entry), so it goes out un-NATed to the server, whose connection
 * it resets. A RST whose four-tuple is an earlier INVALID reply's, reversed, is that story.
 */
final class ResetFinder implements Consumer<ReplayStep> {

    /** At most this many packets are cited for one prevented-reset finding. */
    static final int MAX_CITED = 8;

    /** An INVALID reply forwarded without reverse NAT, waiting for the client's answer. */
    private record InvalidReply(PacketRef packet, String connection, String endpoint, String reason) {}

    /** Packets of a connection's dropped INVALID replies, gathered into one finding. */
    private static final class Prevented {
        final String connection;
        final String endpoint;
        final String reason;
        final List<PacketRef> packets = new ArrayList<>();
        long count;

        Prevented(String connection, String endpoint, String reason) {
            this.connection = connection;
            this.endpoint = endpoint;
            this.reason = reason;
        }
    }

    /**
     * The RSTs a server sends once the client's RST has closed its socket, answering segments the
     * client still had in flight. Each takes its sequence number from the SEG.ACK it answers (RFC 9293
     * 3.10.7.1), which may lie behind what conntrack has already seen acknowledged, so the RST checks of
     * {@code tcp_packet()} can mark it INVALID ("invalid rst", e.g. seq before {@code td_maxack}). They
     * belong to the finding that explains the reset, counted there rather than reported one by one.
     */
    private static final class FollowUps {
        final PacketRef first;
        final String reason;
        long count;

        FollowUps(PacketRef first, String reason) {
            this.first = first;
            this.reason = reason;
        }
    }

    private final List<Finding> findings = new ArrayList<>();
    /** Each reset connection's INVALID follow-up RSTs from the server, by client. */
    private final Map<String, FollowUps> followUps = new LinkedHashMap<>();

    private final Map<String, InvalidReply> awaitingRst = new HashMap<>();
    private final Map<String, Prevented> prevented = new LinkedHashMap<>();
    /** Each connection's INVALID-reply reset: its position in {@link #findings}. */
    private final Map<String, Integer> bugs = new HashMap<>();

    private final TupleSet connections = new TupleSet();
    private final TupleSet answered = new TupleSet();
    private final Map<Tuple, String> endpoints = new HashMap<>();
    /**
     * Each connection by its reply's addresses ({@code endpoint>client}): a RST that closes an entry
     * (conntrack destroys it) no longer finds it, but is still one of its packets.
     */
    private final Map<String, Tuple> replies = new HashMap<>();

    private long packets;
    private long invalid;
    private long disagreements;

    @Override
    public void accept(ReplayStep step) {
        ReplayRecord r = step.record();
        Packet in = step.packet();
        if (in == null || r.ctstate() == null) {
            return; // skipped: sent by the node, not IPv4, ...
        }
        packets++;
        if (r.ctstate() == CtState.INVALID) {
            invalid++;
        }
        if (r.observed() != null && !r.observed().agrees(r)) {
            disagreements++;
        }
        Tuple connection = step.connection();
        if (connection != null) {
            connections.add(connection);
            if (step.side() == CtDir.ORIGINAL && r.outDst() != null && !endpoints.containsKey(connection)) {
                endpoints.put(connection, r.outDst());
                replies.put(r.outDst() + ">" + Ip4.format(in.srcIp(), in.srcPort()), connection);
            }
            if (step.side() == CtDir.REPLY && r.ctstate() != CtState.INVALID) {
                answered.add(connection);
            }
        }
        TcpSegment tcp = in.tcp();
        if (in.protocol() != Protocol.TCP || tcp == null) {
            return;
        }
        boolean rst = (tcp.flags() & TcpFlags.RST) != 0;
        if (rst) {
            reset(step, in, connection);
        } else if (r.ctstate() == CtState.INVALID && connection != null && step.side() == CtDir.REPLY) {
            invalidReply(step, in, connection);
        }
    }

    private void invalidReply(ReplayStep step, Packet in, Tuple connection) {
        ReplayRecord r = step.record();
        String client = client(connection);
        String endpoint = Ip4.format(in.srcIp(), in.srcPort());
        if (r.verdict() == ReplayRecord.Verdict.DROP) {
            Prevented p = prevented.computeIfAbsent(client, c -> new Prevented(c, endpoint, r.reason()));
            p.count++;
            if (p.packets.size() < MAX_CITED) {
                p.packets.add(ref(r, "INVALID reply, dropped by the node"));
            }
            return;
        }
        String role = r.outSrc() != null && r.outSrc().equals(endpoint)
                ? "INVALID reply, forwarded without reverse NAT (source still " + endpoint + ")"
                : "INVALID reply, forwarded";
        awaitingRst.put(
                key(in.dstIp(), in.dstPort(), in.srcIp(), in.srcPort()),
                new InvalidReply(ref(r, role), client, endpoint, r.reason()));
    }

    private void reset(ReplayStep step, Packet in, Tuple connection) {
        ReplayRecord r = step.record();
        InvalidReply cause = awaitingRst.remove(key(in.srcIp(), in.srcPort(), in.dstIp(), in.dstPort()));
        if (cause != null) {
            boolean delivered = r.verdict() == ReplayRecord.Verdict.ACCEPT;
            PacketRef rst = ref(
                    r,
                    "the client's RST to the pod IP " + Ip4.format(in.dstIp(), in.dstPort())
                            + (delivered ? ", forwarded to the server" : ", dropped by the node"));
            String explanation = "conntrack marked the server's reply INVALID (" + cause.reason()
                    + "), so the node forwarded it without reverse NAT: the client got a segment from the pod IP "
                    + cause.endpoint() + " instead of the service, had no connection for it, and answered with a RST"
                    + " to the pod IP."
                    + (delivered
                            ? " The node forwarded that RST to the server, resetting the connection the client was"
                                    + " still using: the next thing the client sees is a reset."
                            : " The node dropped that RST, so the server's connection survived.");
            bugs.put(cause.connection(), findings.size());
            findings.add(new Finding(
                    FindingKind.INVALID_REPLY_RESET,
                    cause.connection(),
                    cause.endpoint(),
                    List.of(cause.packet(), rst),
                    cause.reason(),
                    explanation,
                    List.of()));
            return;
        }
        CtDir side = step.side();
        if (connection == null && r.ctstate() != CtState.INVALID) {
            connection = replies.get(key(in.srcIp(), in.srcPort(), in.dstIp(), in.dstPort()));
            side = CtDir.REPLY;
        }
        if (connection != null
                && r.ctstate() == CtState.INVALID
                && side == CtDir.REPLY
                && bugs.containsKey(client(connection))) {
            followUps.computeIfAbsent(client(connection), c -> new FollowUps(ref(r, ""), r.reason())).count++;
            return;
        }
        if (connection != null && r.ctstate() != CtState.INVALID) {
            String client = client(connection);
            String endpoint = endpoints.get(connection);
            Integer bug = bugs.get(client);
            if (bug != null && side == CtDir.REPLY) {
                // the server lost the connection to the client's RST: whatever the client sends next is
                // answered with a RST, and this one is the reset the client's application sees
                Finding f = findings.get(bug);
                List<PacketRef> story = new ArrayList<>(f.packets());
                story.add(ref(
                        r,
                        "the server, its connection gone, answers the client with a RST (NATed as usual):"
                                + " the reset the client sees"));
                findings.set(
                        bug,
                        new Finding(
                                f.kind(), f.connection(), f.endpoint(), story, f.reason(), f.explanation(), f.fixes()));
                return;
            }
            if (side == CtDir.REPLY && !answered.contains(connection)) {
                findings.add(new Finding(
                        FindingKind.CLOSED_PORT_RESET,
                        client,
                        endpoint,
                        List.of(ref(r, "RST from " + Ip4.format(in.srcIp(), in.srcPort()) + " answering the SYN")),
                        null,
                        "nothing listened on the endpoint's port: its RST answered the client's SYN (connection"
                                + " refused), and the node reverse-NATed it like any reply.",
                        List.of()));
                return;
            }
            String who = side == CtDir.REPLY
                    ? "the endpoint " + Ip4.format(in.srcIp(), in.srcPort())
                    : "the client " + Ip4.format(in.srcIp(), in.srcPort());
            findings.add(new Finding(
                    FindingKind.APPLICATION_RESET,
                    client,
                    endpoint,
                    List.of(ref(r, "RST from " + who + ", " + r.ctstate() + ", NAT applied as usual")),
                    null,
                    "the connection was reset by " + who + " itself: conntrack tracked the RST like the"
                            + " connection's other packets, so this is the application's (or its TCP stack's)"
                            + " doing, not conntrack's.",
                    List.of()));
            return;
        }
        String where = Ip4.format(in.srcIp(), in.srcPort()) + " > " + Ip4.format(in.dstIp(), in.dstPort());
        findings.add(new Finding(
                FindingKind.UNEXPLAINED_RESET,
                connection != null ? client(connection) : where,
                connection != null ? endpoints.get(connection) : null,
                List.of(ref(r, "RST " + where + ", " + r.ctstate())),
                r.reason(),
                "a RST that follows no INVALID reply in the capture"
                        + (connection == null ? " and matches no connection conntrack knows" : "")
                        + ": its cause is not in the capture (it may have started before the capture, or on"
                        + " another node).",
                List.of()));
    }

    /** The findings, with the prevented resets of each connection gathered into one finding. */
    List<Finding> findings() {
        List<Finding> all = new ArrayList<>(findings);
        for (Map.Entry<String, FollowUps> e : followUps.entrySet()) {
            int at = bugs.get(e.getKey());
            all.set(at, withFollowUps(all.get(at), e.getValue()));
        }
        for (Prevented p : prevented.values()) {
            all.add(new Finding(
                    FindingKind.PREVENTED_RESET,
                    p.connection,
                    p.endpoint,
                    p.packets,
                    p.reason,
                    CaptureDiagnosis.plural(p.count, "reply") + " of this connection marked INVALID (" + p.reason
                            + ") and dropped by the node's rules (-m conntrack --ctstate INVALID -j DROP): the"
                            + " client never saw the pod IP, so no reset followed; the server retransmits.",
                    List.of()));
        }
        all.sort(java.util.Comparator.comparingInt(f -> f.packets().get(0).index()));
        return all;
    }

    private static Finding withFollowUps(Finding f, FollowUps u) {
        String many = CaptureDiagnosis.plural(u.count, "RST");
        PacketRef first = new PacketRef(
                u.first.file(),
                u.first.index(),
                u.first.timestamp(),
                (u.count == 1 ? "a RST" : "the first of " + many)
                        + " the server sent, its connection gone, answering segments the client still had in"
                        + " flight: INVALID (" + u.reason + ")");
        List<PacketRef> story = new ArrayList<>(f.packets());
        story.add(first);
        story.sort(java.util.Comparator.comparingInt(PacketRef::index));
        String explanation = f.explanation()
                + " Meanwhile the server answered " + (u.count == 1 ? "a segment" : u.count + " segments")
                + " the client still had in flight with "
                + (u.count == 1 ? "a RST" : "RSTs")
                + ", and conntrack marked " + (u.count == 1 ? "it" : "them") + " INVALID (" + u.reason + ").";
        return new Finding(f.kind(), f.connection(), f.endpoint(), story, f.reason(), explanation, f.fixes());
    }

    long packets() {
        return packets;
    }

    long invalid() {
        return invalid;
    }

    long connections() {
        return connections.size();
    }

    long disagreements() {
        return disagreements;
    }

    private static String client(Tuple t) {
        return Ip4.format(t.srcIp(), t.srcPort()) + " > " + Ip4.format(t.dstIp(), t.dstPort());
    }

    private static String key(int srcIp, int srcPort, int dstIp, int dstPort) {
        return Ip4.format(srcIp, srcPort) + ">" + Ip4.format(dstIp, dstPort);
    }

    private static PacketRef ref(ReplayRecord r, String role) {
        return new PacketRef(r.file(), r.index(), timestamp(r.timestampNanos(), r.timestampDigits()), role);
    }

    /** A capture time as seconds with the capture's digits after the point. */
    static String timestamp(long nanos, int digits) {
        long seconds = Math.floorDiv(nanos, 1_000_000_000L);
        long fraction = Math.floorMod(nanos, 1_000_000_000L);
        if (digits <= 0) {
            return Long.toString(seconds);
        }
        String nine = String.format("%09d", fraction);
        return seconds + "." + nine.substring(0, Math.min(9, digits));
    }
}
