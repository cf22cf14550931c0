package io.kpsim.packet;

/**
 * Builds tcpdump-like one-line summaries of packets: absolute sequence numbers as {@code tcpdump -S}
 * prints them, or relative to given bases as tcpdump and Wireshark print them by default.
 */
final class PacketSummary {

    /** A base meaning "print the absolute number". */
    static final long ABSOLUTE = -1;

    /** {@link TcpFlags#tcpdump(int)} of each 8-bit flag set, made once. */
    private static final String[] FLAGS = new String[256];

    static {
        for (int f = 0; f < FLAGS.length; f++) {
            FLAGS[f] = TcpFlags.tcpdump(f);
        }
    }

    private PacketSummary() {}

    static String of(Packet p) {
        return of(p, ABSOLUTE, ABSOLUTE);
    }

    /**
     * The summary with the TCP sequence numbers taken relative to {@code seqBase} and the
     * acknowledgement relative to {@code ackBase} (each an unsigned 32-bit ISN, or {@link #ABSOLUTE}).
     */
    static String of(Packet p, long seqBase, long ackBase) {
        return append(new StringBuilder(96), p, seqBase, ackBase).toString();
    }

    /**
     * Appends {@link #of(Packet, long, long)}'s text to {@code s}, without a string per field (what
     * {@code kpsim replay}'s text output writes for every packet).
     */
    static StringBuilder append(StringBuilder s, Packet p, long seqBase, long ackBase) {
        s.append("IP ");
        endpoint(s, p, p.srcIp(), p.srcPort()).append(" > ");
        endpoint(s, p, p.dstIp(), p.dstPort()).append(": ");
        Transport l4 = p.transport();
        if (l4 instanceof TcpSegment t) {
            tcp(s, t, seqBase, ackBase);
        } else if (l4 instanceof UdpDatagram u) {
            s.append("UDP, length ").append(u.payloadLength());
        } else if (l4 instanceof IcmpMessage m) {
            icmp(s, m);
        } else if (l4 instanceof OtherTransport o) {
            s.append("ip-proto-").append(o.number()).append(' ').append(o.payloadLength());
        }
        return s;
    }

    /** {@link Packet#source()} or {@link Packet#destination()}: {@code a.b.c.d.port}, or {@code a.b.c.d}. */
    private static StringBuilder endpoint(StringBuilder s, Packet p, int ip, int port) {
        s.append((ip >>> 24) & 0xff)
                .append('.')
                .append((ip >>> 16) & 0xff)
                .append('.')
                .append((ip >>> 8) & 0xff)
                .append('.')
                .append(ip & 0xff);
        return switch (p.protocol()) {
            case TCP, UDP -> s.append('.').append(port);
            case ICMP, OTHER -> s;
        };
    }

    private static void tcp(StringBuilder s, TcpSegment t, long seqBase, long ackBase) {
        int flags = t.flags();
        s.append("Flags [")
                .append((flags & ~0xff) == 0 ? FLAGS[flags] : TcpFlags.tcpdump(flags))
                .append(']');
        if (t.payloadLength() > 0 || t.has(TcpFlags.SYN) || t.has(TcpFlags.FIN) || t.has(TcpFlags.RST)) {
            number(s.append(", seq "), t.seq(), seqBase);
            if (t.payloadLength() > 0) {
                number(s.append(':'), t.seq() + t.payloadLength(), seqBase);
            }
        }
        if (t.has(TcpFlags.ACK)) {
            number(s.append(", ack "), t.ack(), ackBase);
        }
        s.append(", win ").append(t.window());
        String options = t.options() == TcpOptions.NONE ? "" : t.options().tcpdump();
        if (!options.isEmpty()) {
            s.append(", options ").append(options);
        }
        s.append(", length ").append(t.payloadLength());
    }

    /**
     * {@code value}, or its signed distance from {@code base} in sequence space (Wireshark's relative
     * numbers, negative below the base rather than wrapped).
     */
    static String number(int value, long base) {
        return base == ABSOLUTE ? Seq.format(value) : Integer.toString(value - (int) base);
    }

    /** Appends {@link #number(int, long)}'s text. */
    private static void number(StringBuilder s, int value, long base) {
        if (base == ABSOLUTE) {
            s.append(value & 0xffffffffL); // Seq.format: unsigned
        } else {
            s.append(value - (int) base);
        }
    }

    private static void icmp(StringBuilder s, IcmpMessage m) {
        switch (m.type()) {
            case IcmpMessage.ECHO_REQUEST ->
                s.append("ICMP echo request, id ")
                        .append(m.identifier())
                        .append(", seq ")
                        .append(m.sequence());
            case IcmpMessage.ECHO_REPLY ->
                s.append("ICMP echo reply, id ")
                        .append(m.identifier())
                        .append(", seq ")
                        .append(m.sequence());
            default -> {
                s.append("ICMP type ").append(m.type()).append(" code ").append(m.code());
                if (m.quoted() != null) {
                    s.append(" for ")
                            .append(m.quoted().source())
                            .append(" > ")
                            .append(m.quoted().destination());
                }
            }
        }
        s.append(", length ").append(m.headerLength() + m.quotedLength() + m.payloadLength());
    }
}
