package io.kpsim.report.html;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;

/**
 * An IPv4 address and port, kept as numbers and printed only when a page is written.
 *
 * @param ip the address
 * @param port the port (0 for protocols without ports)
 */
public record Address(int ip, int port) {

    /** The source of {@code p}. */
    public static Address source(Packet p) {
        return new Address(p.srcIp(), p.srcPort());
    }

    /** The destination of {@code p}. */
    public static Address destination(Packet p) {
        return new Address(p.dstIp(), p.dstPort());
    }

    /** The address and port as one long key (the address in the high bits). */
    public long key() {
        return (Integer.toUnsignedLong(ip) << 16) | port;
    }

    /** {@code 10.96.0.10:80}. */
    @Override
    public String toString() {
        return Ip4.format(ip, port);
    }
}
