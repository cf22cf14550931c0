package io.kpsim.cli;

import io.kpsim.conntrack.CtState;
import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.packet.UdpDatagram;
import java.util.Locale;
import java.util.SplittableRandom;
import picocli.CommandLine.Option;

/**
 * The packet {@code kpsim trace} sends: addresses, protocol and the header fields rules can match
 * ({@code --tcp-flags}, {@code --ttl}, {@code --length}, {@code --mark}, {@code --ctstate}), each
 * checked with a one-line error naming the option. The packet is a TCP SYN (or a UDP datagram, or
 * an ICMP echo request) without payload or options, TTL 64, unless the options say otherwise; a
 * source port not given is drawn from the seed in Linux's default ephemeral range
 * ({@code net.ipv4.ip_local_port_range} 32768-60999).
 */
final class TraceProbeOptions {

    @Option(names = "--src", required = true, paramLabel = "IP[:PORT]", description = "The packet's source.")
    String src;

    @Option(names = "--dst", required = true, paramLabel = "IP[:PORT]", description = "The packet's destination.")
    String dst;

    @Option(
            names = "--proto",
            paramLabel = "tcp|udp|icmp",
            defaultValue = "tcp",
            description = "Its protocol (default: ${DEFAULT-VALUE}; icmp sends an echo request).")
    String proto;

    @Option(
            names = "--ctstate",
            paramLabel = "NEW|ESTABLISHED|RELATED|INVALID",
            defaultValue = "NEW",
            description = "The state conntrack gives it (default: ${DEFAULT-VALUE}, a first packet; the others ask what"
                    + " the rules do with such a packet: no conntrack entry, no NAT binding).")
    String ctstate;

    @Option(
            names = "--tcp-flags",
            paramLabel = "FLAGS",
            description = "TCP flags, comma-separated (SYN, ACK, FIN, RST, PSH, URG, ECE, CWR, or NONE; default: SYN).")
    String tcpFlags;

    @Option(
            names = "--ttl",
            paramLabel = "N",
            defaultValue = "64",
            description = "Its TTL (default: ${DEFAULT-VALUE}).")
    int ttl;

    @Option(
            names = "--length",
            paramLabel = "BYTES",
            description = "Its IPv4 total length, what -m length matches (default: the headers alone).")
    Integer length;

    @Option(names = "--mark", paramLabel = "VALUE", description = "Its skb->mark as it arrives (default: 0).")
    String mark;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "1",
            description = "Seed for the source port, sequence number and ICMP id (default: ${DEFAULT-VALUE}).")
    long seed;

    /** The protocol, checked. */
    Protocol protocol() {
        return switch (proto.toLowerCase(Locale.ROOT)) {
            case "tcp" -> Protocol.TCP;
            case "udp" -> Protocol.UDP;
            case "icmp" -> Protocol.ICMP;
            default -> throw new UserError("--proto '" + proto + "': expected tcp, udp or icmp");
        };
    }

    /** The source address. */
    int srcIp() {
        return address("--src", src);
    }

    /** The destination address. */
    int dstIp() {
        return address("--dst", dst);
    }

    /** The ctstate to give instead of conntrack's, or {@code null} for NEW (conntrack decides). */
    CtState givenState() {
        return switch (ctstate.toUpperCase(Locale.ROOT)) {
            case "NEW" -> null;
            case "ESTABLISHED" -> CtState.ESTABLISHED;
            case "RELATED" -> CtState.RELATED;
            case "INVALID" -> CtState.INVALID;
            default ->
                throw new UserError("--ctstate '" + ctstate + "': expected NEW, ESTABLISHED, RELATED or INVALID");
        };
    }

    /** The mark, checked: decimal or 0x hex, 32 bits. */
    int markValue() {
        if (mark == null) {
            return 0;
        }
        String m = mark.trim().toLowerCase(Locale.ROOT);
        try {
            long v = m.startsWith("0x") ? Long.parseLong(m.substring(2), 16) : Long.parseLong(m);
            if (v < 0 || v > 0xffffffffL) {
                throw new NumberFormatException();
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw new UserError("--mark '" + mark + "': expected a 32-bit value, decimal or 0x hex");
        }
    }

    /** The packet, every option checked. */
    Packet packet() {
        Protocol p = protocol();
        int srcIp = srcIp();
        int dstIp = dstIp();
        int srcPort = port("--src", src, p);
        int dstPort = port("--dst", dst, p);
        if ((p == Protocol.TCP || p == Protocol.UDP) && dstPort < 0) {
            throw new UserError("--dst '" + dst + "': a " + p.name().toLowerCase(Locale.ROOT)
                    + " packet needs a destination port (IP:PORT)");
        }
        if (ttl < 0 || ttl > 255) {
            throw new UserError("--ttl " + ttl + ": expected 0..255");
        }
        if (tcpFlags != null && p != Protocol.TCP) {
            throw new UserError("--tcp-flags: the packet is " + p.name().toLowerCase(Locale.ROOT) + ", not tcp");
        }
        SplittableRandom random = new SplittableRandom(seed);
        if (srcPort < 0) {
            srcPort = random.nextInt(32768, 61000);
        }
        int headers = Packet.IPV4_HEADER
                + switch (p) {
                    case TCP -> TcpSegment.MIN_HEADER;
                    case UDP -> 8;
                    case ICMP -> 8;
                    case OTHER -> 0;
                };
        int total = length == null ? headers : length;
        if (total < headers || total > 65535) {
            throw new UserError("--length " + total + ": a " + p.name().toLowerCase(Locale.ROOT)
                    + " packet without options is " + headers + " to 65535 bytes");
        }
        int payload = total - headers;
        Packet packet = switch (p) {
            case TCP -> {
                int flags = flags();
                int seq = random.nextInt();
                int ack = TcpFlags.has(flags, TcpFlags.ACK) ? random.nextInt() : 0;
                TcpSegment s = new TcpSegment(srcPort, dstPort, seq, ack, flags, 64240, 0, TcpOptions.NONE, payload);
                yield Packet.tcp(srcIp, dstIp, s);
            }
            case UDP -> Packet.udp(srcIp, dstIp, new UdpDatagram(srcPort, dstPort, payload));
            case ICMP ->
                Packet.icmp(
                        srcIp, dstIp, IcmpMessage.echo(IcmpMessage.ECHO_REQUEST, random.nextInt(65536), 1, payload));
            case OTHER -> throw new UserError("--proto '" + proto + "': expected tcp, udp or icmp");
        };
        return new Packet(packet.srcIp(), packet.dstIp(), 0, 0, ttl, packet.transport());
    }

    private int flags() {
        if (tcpFlags == null) {
            return TcpFlags.SYN;
        }
        int flags = 0;
        for (String name : tcpFlags.split(",", -1)) {
            String n = name.trim().toUpperCase(Locale.ROOT);
            flags |= switch (n) {
                case "FIN" -> TcpFlags.FIN;
                case "SYN" -> TcpFlags.SYN;
                case "RST" -> TcpFlags.RST;
                case "PSH" -> TcpFlags.PSH;
                case "ACK" -> TcpFlags.ACK;
                case "URG" -> TcpFlags.URG;
                case "ECE" -> TcpFlags.ECE;
                case "CWR" -> TcpFlags.CWR;
                case "NONE" -> 0;
                default ->
                    throw new UserError("--tcp-flags '" + tcpFlags + "': unknown flag '" + name.trim()
                            + "' (expected SYN, ACK, FIN, RST, PSH, URG, ECE, CWR or NONE, comma-separated)");
            };
        }
        return flags;
    }

    private static int address(String option, String value) {
        String ip = value.contains(":") ? value.substring(0, value.indexOf(':')) : value;
        try {
            return Ip4.parse(ip.trim());
        } catch (IllegalArgumentException e) {
            throw new UserError(option + " '" + value + "': '" + ip + "' is not an IPv4 address");
        }
    }

    /** The port after the colon, or -1 when none is given. */
    private static int port(String option, String value, Protocol p) {
        int colon = value.indexOf(':');
        if (colon < 0) {
            return -1;
        }
        if (p == Protocol.ICMP) {
            throw new UserError(option + " '" + value + "': an icmp packet has no ports");
        }
        String text = value.substring(colon + 1).trim();
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new UserError(option + " '" + value + "': port '" + text + "' is not 1..65535");
        }
    }
}
