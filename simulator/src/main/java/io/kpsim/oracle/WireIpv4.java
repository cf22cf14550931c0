package io.kpsim.oracle;

import io.kpsim.conntrack.Tuple;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Protocol;

/**
 * The few IPv4/TCP/UDP/ICMP header fields the oracle reads straight from wire bytes: addresses
 * and ports (what NAT rewrote), the DSCP (the ctstate mark set in mangle FORWARD), the TCP
 * sequence numbers and flags (to recognise the forwarded copy of an injected packet) and, for an
 * ICMP error, the quoted header (RFC 792: inner IPv4 header plus 8 bytes of layer 4).
 *
 * <p>Why not the pcap codec: the oracle must look at the exact bytes the kernel saw and sent,
 * including a quoted header that may be truncated, and must never re-encode them.
 *
 * @param tos the TOS byte
 * @param ipId the identification field
 * @param protocol the layer-4 protocol
 * @param srcIp source address
 * @param dstIp destination address
 * @param srcPort TCP/UDP source port, ICMP echo identifier, else 0
 * @param dstPort TCP/UDP destination port, ICMP {@code type << 8 | code}, else 0
 * @param seq TCP sequence number (0 for other protocols)
 * @param ack TCP acknowledgement number
 * @param tcpFlags TCP flag bits
 * @param payloadLength bytes after the layer-4 header; for an outer header by the IPv4 total length,
 *     so that a copy cut short (an NFLOG message's {@code --nflog-size} bytes) still shows the
 *     packet's length; for a quoted header by the bytes quoted; 0 when the layer-4 header is cut off
 * @param inner the quoted header of an ICMP error, else {@code null}
 */
record WireIpv4(
        int tos,
        int ipId,
        Protocol protocol,
        int srcIp,
        int dstIp,
        int srcPort,
        int dstPort,
        int seq,
        int ack,
        int tcpFlags,
        int payloadLength,
        WireIpv4 inner) {

    /**
     * Parses an IPv4 packet starting at {@code offset}; {@code null} when the bytes are not an
     * IPv4 header. Layer-4 fields that are cut off read as 0.
     */
    static WireIpv4 parse(byte[] b, int offset) {
        return parse(b, offset, true);
    }

    private static WireIpv4 parse(byte[] b, int offset, boolean outer) {
        if (b.length - offset < 20 || (b[offset] & 0xf0) != 0x40) {
            return null;
        }
        int ihl = (b[offset] & 0x0f) * 4;
        int total = u16(b, offset + 2);
        int end = Math.min(b.length, outer ? offset + Math.max(total, ihl) : b.length);
        int datagramEnd = outer ? offset + Math.max(total, ihl) : end;
        int l4 = offset + ihl;
        int protoNumber = b[offset + 9] & 0xff;
        Protocol protocol = Protocol.of(protoNumber);
        int src = s32(b, offset + 12);
        int dst = s32(b, offset + 16);
        int sport = 0;
        int dport = 0;
        int seq = 0;
        int ack = 0;
        int flags = 0;
        int payload = 0;
        WireIpv4 inner = null;
        switch (protocol) {
            case TCP -> {
                if (end - l4 >= 4) {
                    sport = u16(b, l4);
                    dport = u16(b, l4 + 2);
                }
                if (end - l4 >= 8) {
                    seq = s32(b, l4 + 4);
                }
                if (end - l4 >= 20) {
                    ack = s32(b, l4 + 8);
                    flags = b[l4 + 13] & 0xff;
                    payload = Math.max(0, datagramEnd - l4 - ((b[l4 + 12] & 0xf0) >>> 4) * 4);
                }
            }
            case UDP -> {
                if (end - l4 >= 4) {
                    sport = u16(b, l4);
                    dport = u16(b, l4 + 2);
                }
                if (end - l4 >= 8) {
                    payload = Math.max(0, datagramEnd - l4 - 8);
                }
            }
            case ICMP -> {
                if (end - l4 >= 8) {
                    int type = b[l4] & 0xff;
                    int code = b[l4 + 1] & 0xff;
                    dport = type << 8 | code;
                    if (isError(type)) {
                        if (outer) {
                            inner = parse(java.util.Arrays.copyOfRange(b, l4 + 8, end), 0, false);
                        }
                    } else {
                        sport = u16(b, l4 + 4);
                    }
                    payload = Math.max(0, datagramEnd - l4 - 8);
                }
            }
            case OTHER -> payload = Math.max(0, datagramEnd - l4);
        }
        return new WireIpv4(
                b[offset + 1] & 0xff,
                u16(b, offset + 4),
                protocol,
                src,
                dst,
                sport,
                dport,
                seq,
                ack,
                flags,
                payload,
                inner);
    }

    /** {@code icmp_is_err()}: the ICMP types that quote a packet and conntrack relates to a flow. */
    static boolean isError(int type) {
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }

    /** Whether this is an ICMP error with a quoted header. */
    boolean isIcmpError() {
        return inner != null;
    }

    /** The DSCP (upper six bits of TOS). */
    int dscp() {
        return tos >>> 2;
    }

    /** The conntrack tuple of these headers as they are. */
    Tuple tuple() {
        return new Tuple(protocol, srcIp, srcPort, dstIp, dstPort);
    }

    /** The source as DESIGN.md's replay output writes it: {@code ip:port}, or {@code ip} for ICMP. */
    String sourceText() {
        return endpoint(srcIp, srcPort);
    }

    /** The destination, written like {@link #sourceText()}. */
    String destinationText() {
        return endpoint(dstIp, dstPort);
    }

    private String endpoint(int ip, int port) {
        return switch (protocol) {
            case TCP, UDP -> Ip4.format(ip, port);
            case ICMP, OTHER -> Ip4.format(ip);
        };
    }

    /**
     * Whether {@code copy} (as forwarded) can be the node's copy of this packet (as injected): NAT
     * changes addresses and ports, mangle changes the DSCP, nothing changes the IP id, the
     * protocol, the TCP sequence space, flags and length or the ICMP type.
     */
    boolean couldBeForwardedAs(WireIpv4 copy) {
        if (copy.protocol != protocol || copy.ipId != ipId || copy.payloadLength != payloadLength) {
            return false;
        }
        return switch (protocol) {
            case TCP -> copy.seq == seq && copy.ack == ack && copy.tcpFlags == tcpFlags;
            case ICMP -> (copy.dstPort >>> 8) == (dstPort >>> 8);
            case UDP, OTHER -> true;
        };
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    private static int s32(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }
}
