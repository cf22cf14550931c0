package io.kpsim.oracle;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.UdpDatagram;
import io.kpsim.pcap.Ipv4Encoder;
import java.util.Set;

/**
 * The packet the oracle injects right behind every captured packet, on the same port: when its
 * forwarded copy comes out, the kernel has finished with the captured packet, so a copy that has
 * not come out by then never will, and the packet was dropped.
 *
 * <p>Why it proves that: the injecting thread is pinned to one CPU ({@link CpuPin}), so both
 * frames enter that CPU's backlog queue in order ({@code veth_xmit()} → {@code __netif_rx()} →
 * {@code enqueue_to_backlog()}; the veths have RPS off and no XDP or GRO NAPI), and the node's
 * whole path for the first one (PREROUTING, conntrack, FORWARD, POSTROUTING and confirmation,
 * the hand-over to the egress veth's backlog, and every NFLOG message, which
 * {@code --nflog-threshold 1} sends at once) runs before the second one is taken off the queue.
 * The egress veth's backlog is FIFO the same way, so the captured packet's copy, if any, reaches
 * the harness before the sentinel's.
 *
 * <p>The sentinel leaves no trace in the node: raw PREROUTING marks it {@code NOTRACK} (no
 * conntrack entry, no log line, no NAT) and the first mangle FORWARD rule accepts it before the
 * ctstate marks. Its addresses come from 198.18.0.0/15 (RFC 2544, benchmarking), avoiding every
 * address of the captures and services; its IP id is the probe number, so a sentinel from an
 * earlier probe is never taken for this one's.
 *
 * @param source the sentinel's source address (matched by the NOTRACK and ACCEPT rules)
 * @param toClientSide destination routed out of the node's client-side veth
 * @param toServerSide destination routed out of the node's server-side veth
 */
record Sentinel(int source, int toClientSide, int toServerSide) {

    /** RFC 2544's 198.18.0.0/15, reserved for benchmarking networks. */
    static final int RANGE_START = Ip4.parse("198.18.0.1");

    static final int RANGE_SIZE = (1 << 17) - 2;

    /** The discard port (RFC 863), both ways. */
    static final int PORT = 9;

    /** The first three addresses of 198.18.0.0/15 that {@code used} does not contain. */
    static Sentinel avoiding(Set<Integer> used) {
        int[] picked = new int[3];
        int n = 0;
        for (int i = 0; i < RANGE_SIZE && n < picked.length; i++) {
            int candidate = RANGE_START + i;
            if (!used.contains(candidate)) {
                picked[n++] = candidate;
            }
        }
        if (n < picked.length) {
            throw new OracleException("no free address in 198.18.0.0/15 for the oracle's sentinel packets");
        }
        return new Sentinel(picked[0], picked[1], picked[2]);
    }

    /** The destination routed out of {@code side}. */
    int destination(AddressPlan.Side side) {
        return side == AddressPlan.Side.CLIENT ? toClientSide : toServerSide;
    }

    /** The IPv4 bytes of sentinel number {@code probe} (mod 2^16), bound out of {@code side}. */
    byte[] packet(AddressPlan.Side side, int probe) {
        return Ipv4Encoder.encode(new Packet(
                source, destination(side), 0, probe & 0xffff, Packet.DEFAULT_TTL, new UdpDatagram(PORT, PORT, 0)));
    }

    /** Whether {@code headers} are those of sentinel number {@code probe} forwarded out of {@code side}. */
    boolean is(WireIpv4 headers, AddressPlan.Side side, int probe) {
        return headers.protocol() == Protocol.UDP
                && headers.srcIp() == source
                && headers.dstIp() == destination(side)
                && headers.ipId() == (probe & 0xffff);
    }

    /** The raw-table rule that keeps sentinels out of conntrack. */
    String notrackRule() {
        return "-A PREROUTING -s " + Ip4.format(source) + "/32 -j CT --notrack";
    }

    /** The first mangle FORWARD rule: sentinels skip the ctstate marks. */
    String skipMarksRule() {
        return "-A FORWARD -s " + Ip4.format(source) + "/32 -j ACCEPT";
    }
}
