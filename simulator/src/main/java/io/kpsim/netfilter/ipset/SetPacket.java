package io.kpsim.netfilter.ipset;

import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.OtherTransport;
import io.kpsim.packet.Packet;

/**
 * What a set type takes from a packet for one dimension ({@code ip4addrptr()},
 * {@code ip_set_get_ip4_port()} in {@code net/netfilter/ipset/ip_set_getport.c}): an address,
 * or a protocol and "port", the port of TCP, UDP, SCTP and UDP-Lite and {@code type << 8 | code}
 * for ICMP, 0 for other protocols (kpsim carries no ports for them).
 */
final class SetPacket {

    private SetPacket() {}

    /** The source ({@code src}) or destination address. */
    static int address(Packet p, boolean src) {
        return src ? p.srcIp() : p.dstIp();
    }

    /** The IPv4 protocol number. */
    static int protocol(Packet p) {
        return switch (p.protocol()) {
            case TCP -> 6;
            case UDP -> 17;
            case ICMP -> 1;
            case OTHER -> ((OtherTransport) p.transport()).number();
        };
    }

    /** The source ({@code src}) or destination port as the set types see it. */
    static int port(Packet p, boolean src) {
        return switch (p.protocol()) {
            case TCP, UDP -> src ? p.srcPort() : p.dstPort();
            case ICMP -> {
                IcmpMessage m = p.icmp();
                yield (m.type() << 8) | m.code();
            }
            case OTHER -> 0;
        };
    }
}
