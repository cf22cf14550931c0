package io.kpsim.oracle;

import io.kpsim.netfilter.PathResult;
import io.kpsim.netfilter.TraceOutcome;
import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;

/**
 * What a node did with one probe, in one line that the kernel's side and the model's side both
 * produce: {@code LOCAL} (delivered to the node), {@code FORWARD} with the copy's protocol,
 * addresses and ports, {@code REJECT} with what came back (an ICMP error's type, code, addresses
 * and quoted addresses; a reset's flags, addresses, ports and numbers), or {@code DROP}. A source
 * the node rewrote shows its address only: MASQUERADE {@code fully-random} picks the port at
 * random.
 */
final class NftOutcome {

    private NftOutcome() {}

    static final String LOCAL = "LOCAL";
    static final String DROP = "DROP";

    /** {@code FORWARD tcp 192.168.50.10:40000 > 10.244.1.12:8080}. */
    static String forward(Packet sent, Protocol protocol, int srcIp, int srcPort, int dstIp, int dstPort) {
        boolean snat = srcIp != sent.srcIp();
        return "FORWARD " + name(protocol) + " " + endpoint(protocol, srcIp, snat ? -1 : srcPort) + " > "
                + endpoint(protocol, dstIp, dstPort);
    }

    /** {@code REJECT icmp 3/3 192.168.50.1 > 192.168.50.10 [tcp 192.168.50.10:40000 > 172.30.0.12:80]}. */
    static String icmpError(
            int type,
            int code,
            int src,
            int dst,
            Protocol innerProtocol,
            int innerSrc,
            int innerSport,
            int innerDst,
            int innerDport) {
        return "REJECT icmp " + type + "/" + code + " " + Ip4.format(src) + " > " + Ip4.format(dst) + " ["
                + name(innerProtocol) + " " + endpoint(innerProtocol, innerSrc, innerSport) + " > "
                + endpoint(innerProtocol, innerDst, innerDport) + "]";
    }

    /** {@code REJECT tcp RA 172.30.0.12:80 > 192.168.50.10:40000 seq 0 ack 1001}. */
    static String reset(int flags, int src, int sport, int dst, int dport, int seq, int ack) {
        return "REJECT tcp " + ((flags & TcpFlags.ACK) != 0 ? "RA" : "R") + " " + Ip4.format(src, sport) + " > "
                + Ip4.format(dst, dport) + " seq " + Integer.toUnsignedString(seq) + " ack "
                + Integer.toUnsignedString(ack);
    }

    /** The model's outcome for {@code sent}. */
    static String of(Packet sent, PathResult r) {
        if (r.accepted()) {
            if (r.path() == PathResult.Path.LOCAL_IN) {
                return LOCAL;
            }
            Packet out = r.out();
            return forward(sent, out.protocol(), out.srcIp(), port(out, true), out.dstIp(), port(out, false));
        }
        if (r.rejected() && r.reject().sent() != null) {
            return reply(r.reject().sent());
        }
        return DROP;
    }

    /** The outcome of one way {@code kpsim trace} says {@code sent} can end. */
    static String of(Packet sent, TraceOutcome t) {
        if (t.verdict() == TraceOutcome.Verdict.ACCEPT) {
            if (t.local()) {
                return LOCAL;
            }
            Packet out = t.sent();
            return forward(sent, out.protocol(), out.srcIp(), port(out, true), out.dstIp(), port(out, false));
        }
        return t.rejectReply() != null ? reply(t.rejectReply()) : DROP;
    }

    /** A reject's reply as it left the node. */
    private static String reply(Packet reply) {
        IcmpMessage m = reply.icmp();
        if (m != null) {
            Packet q = m.quoted();
            return icmpError(
                    m.type(),
                    m.code(),
                    reply.srcIp(),
                    reply.dstIp(),
                    q.protocol(),
                    q.srcIp(),
                    port(q, true),
                    q.dstIp(),
                    port(q, false));
        }
        return reset(
                reply.tcp().flags(),
                reply.srcIp(),
                reply.srcPort(),
                reply.dstIp(),
                reply.dstPort(),
                reply.tcp().seq(),
                reply.tcp().ack());
    }

    /**
     * What a frame the harness read after {@code sent} says: an ICMP error or a reset addressed to
     * the probe's source is the reject's reply; anything else is the forwarded copy.
     */
    static String ofFrame(Packet sent, Packet seen) {
        IcmpMessage m = seen.icmp();
        if (seen.dstIp() == sent.srcIp() && m != null && m.isError()) {
            Packet q = m.quoted();
            return icmpError(
                    m.type(),
                    m.code(),
                    seen.srcIp(),
                    seen.dstIp(),
                    q.protocol(),
                    q.srcIp(),
                    port(q, true),
                    q.dstIp(),
                    port(q, false));
        }
        if (seen.dstIp() == sent.srcIp() && seen.tcp() != null && (seen.tcp().flags() & TcpFlags.RST) != 0) {
            return reset(
                    seen.tcp().flags(),
                    seen.srcIp(),
                    seen.srcPort(),
                    seen.dstIp(),
                    seen.dstPort(),
                    seen.tcp().seq(),
                    seen.tcp().ack());
        }
        return forward(sent, seen.protocol(), seen.srcIp(), port(seen, true), seen.dstIp(), port(seen, false));
    }

    /** A TCP/UDP port, or an ICMP echo's identifier as the source "port" (0 otherwise). */
    static int port(Packet p, boolean source) {
        if (p.protocol() == Protocol.ICMP) {
            IcmpMessage m = p.icmp();
            return source && !m.isError() ? m.identifier() : 0;
        }
        return source ? p.srcPort() : p.dstPort();
    }

    private static String name(Protocol p) {
        return switch (p) {
            case TCP -> "tcp";
            case UDP -> "udp";
            case ICMP -> "icmp";
            case OTHER -> "other";
        };
    }

    private static String endpoint(Protocol p, int ip, int port) {
        if (p == Protocol.OTHER || (p == Protocol.ICMP && port <= 0)) {
            return Ip4.format(ip);
        }
        return Ip4.format(ip) + ":" + (port < 0 ? "*" : Integer.toString(port));
    }
}
