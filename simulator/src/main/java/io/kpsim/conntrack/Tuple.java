package io.kpsim.conntrack;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Protocol;

/**
 * {@code struct nf_conntrack_tuple} for IPv4: what a conntrack entry is found by, one per
 * direction. For TCP and UDP the ports; for ICMP the echo identifier in {@code srcPort} and
 * {@code (type << 8) | code} in {@code dstPort}, as the kernel keeps {@code src.u.icmp.id} and
 * {@code dst.u.icmp.type/code}.
 *
 * <p>This record is for boundaries (NAT, listings, tests); the table itself stores tuples
 * packed into two longs.
 *
 * @param protocol layer-4 protocol
 * @param srcIp source address
 * @param srcPort source port, or ICMP identifier
 * @param dstIp destination address
 * @param dstPort destination port, or ICMP type and code
 */
public record Tuple(Protocol protocol, int srcIp, int srcPort, int dstIp, int dstPort) {

    /** {@code nf_ct_invert_tuple()}: swap source and destination (ICMP: echo request ↔ reply). */
    public Tuple invert() {
        if (protocol == Protocol.ICMP) {
            return new Tuple(protocol, dstIp, srcPort, srcIp, IcmpTuples.invertTypeCode(dstPort));
        }
        return new Tuple(protocol, dstIp, dstPort, srcIp, srcPort);
    }

    /** {@code src=… dst=… sport=… dport=…} as {@code conntrack -L} prints a tuple. */
    public String conntrackText() {
        StringBuilder s = new StringBuilder();
        s.append("src=").append(Ip4.format(srcIp)).append(" dst=").append(Ip4.format(dstIp));
        switch (protocol) {
            case TCP, UDP ->
                s.append(" sport=").append(srcPort).append(" dport=").append(dstPort);
            case ICMP ->
                s.append(" type=")
                        .append(dstPort >>> 8)
                        .append(" code=")
                        .append(dstPort & 0xff)
                        .append(" id=")
                        .append(srcPort);
            case OTHER -> {}
        }
        return s.toString();
    }

    /**
     * Field by field, as a record compares, written out: the generated {@code equals} is linked
     * through method handles on its first call ({@code ObjectMethods.bootstrap}), a few
     * milliseconds of a short run's start-up spent on NAT's first {@code nf_nat_setup_info()}.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Tuple t
                && protocol == t.protocol
                && srcIp == t.srcIp
                && srcPort == t.srcPort
                && dstIp == t.dstIp
                && dstPort == t.dstPort;
    }

    /** Consistent with {@link #equals}; the same in every run (an enum by its ordinal). */
    @Override
    public int hashCode() {
        return (((protocol.ordinal() * 31 + srcIp) * 31 + srcPort) * 31 + dstIp) * 31 + dstPort;
    }

    @Override
    public String toString() {
        return switch (protocol) {
            case TCP, UDP -> Ip4.format(srcIp, srcPort) + " > " + Ip4.format(dstIp, dstPort);
            case ICMP, OTHER -> Ip4.format(srcIp) + " > " + Ip4.format(dstIp);
        };
    }
}
