package io.kpsim.packet;

/**
 * Builds tcpdump-like one-line summaries of packets: absolute sequence numbers as {@code tcpdump -S}
 * prints them, or relative to given bases as tcpdump and Wireshark print them by default.
 */
final class PacketSummary {

    /** A base meaning "print the absolute number". */
    static final long ABSOLUTE = -1;

    private PacketSummary() {}

    static String of(Packet p) {
        return of(p, ABSOLUTE, ABSOLUTE);
    }

    /**
     * The summary with the TCP sequence numbers taken relative to {@code seqBase} and the
     * acknowledgement relative to {@code ackBase} (each an unsigned 32-bit ISN, or {@link #ABSOLUTE}).
     */
    static String of(Packet p, long seqBase, long ackBase) {
        StringBuilder s = new StringBuilder(96);
        s.append("IP ").append(p.source()).append(" > ").append(p.destination()).append(": ");
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
        return s.toString();
    }

    private static void tcp(StringBuilder s, TcpSegment t, long seqBase, long ackBase) {
        s.append("Flags [").append(TcpFlags.tcpdump(t.flags())).append(']');
        if (t.payloadLength() > 0 || t.has(TcpFlags.SYN) || t.has(TcpFlags.FIN) || t.has(TcpFlags.RST)) {
            s.append(", seq ").append(number(t.seq(), seqBase));
            if (t.payloadLength() > 0) {
                s.append(':').append(number(t.seq() + t.payloadLength(), seqBase));
            }
        }
        if (t.has(TcpFlags.ACK)) {
            s.append(", ack ").append(number(t.ack(), ackBase));
        }
        s.append(", win ").append(t.window());
        String options = t.options().tcpdump();
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
