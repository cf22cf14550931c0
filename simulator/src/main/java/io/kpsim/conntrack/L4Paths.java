package io.kpsim.conntrack;

import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpSegment;
import io.kpsim.packet.UdpDatagram;

/**
 * {@code nf_conntrack_in()}'s choice of protocol: the packet's layer-4 protocol picks its tracker's
 * path ({@code nf_ct_l4proto_find()}): TCP ({@link TcpPath}), UDP and every other protocol
 * ({@link DatagramPath}, the generic tracker for the latter), ICMP ({@link IcmpTracker}). Split out
 * of {@link Conntrack}, the entry point, which starts each packet ({@code Conntrack.startPacket})
 * before its path runs; this only dispatches. A TCP segment's fields are read into one reused
 * holder, so the established path allocates nothing.
 */
final class L4Paths {

    private final Conntrack conntrack;
    private final EntryTable entries;
    private final TcpPath tcp;
    private final DatagramPath datagrams;
    private final IcmpTracker icmp;
    private final TcpHeaderFields header = new TcpHeaderFields();

    L4Paths(Conntrack conntrack, EntryTable entries, TcpPath tcp, DatagramPath datagrams, IcmpTracker icmp) {
        this.conntrack = conntrack;
        this.entries = entries;
        this.tcp = tcp;
        this.datagrams = datagrams;
        this.icmp = icmp;
    }

    /** The path of {@code packet}'s protocol; returns a {@link PackedResult}. */
    int in(Packet packet, boolean l4ChecksumValid, long now) {
        // TCP first, by a type test on the segment: no call through the Transport interface for
        // nearly every packet a run tracks (a profile put 6% of a quiet run on that call).
        TcpSegment segment = packet.tcp();
        if (segment != null) {
            header.set(packet, segment);
            header.take();
            return tcp(header, l4ChecksumValid, now);
        }
        return switch (packet.protocol()) {
            case TCP -> throw new IllegalStateException("a TCP packet without a TCP segment: " + packet);
            case UDP -> {
                UdpDatagram d = packet.udp();
                conntrack.startPacket(now);
                yield datagrams.in(
                        conntrack,
                        entries,
                        Protocol.UDP,
                        packet.srcIp(),
                        packet.dstIp(),
                        d.srcPort(),
                        d.dstPort(),
                        l4ChecksumValid,
                        now);
            }
            case ICMP -> {
                conntrack.startPacket(now);
                yield icmp.in(conntrack, entries, packet, l4ChecksumValid, now);
            }
            case OTHER -> {
                conntrack.startPacket(now);
                yield datagrams.in(conntrack, entries, Protocol.OTHER, packet.srcIp(), packet.dstIp(), 0, 0, true, now);
            }
        };
    }

    /** The TCP path for a segment whose fields {@code h} holds, taken for this segment. */
    int tcp(TcpHeaderFields h, boolean checksumValid, long now) {
        conntrack.startPacket(now);
        return tcp.in(conntrack, entries, h, checksumValid, now);
    }
}
