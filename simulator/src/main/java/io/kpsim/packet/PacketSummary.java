package io.kpsim.packet;

/** Builds tcpdump-like one-line summaries of packets (absolute sequence numbers, {@code -S}). */
final class PacketSummary {

    private PacketSummary() {}

    static String of(Packet p) {
        StringBuilder s = new StringBuilder(96);
        s.append("IP ").append(p.source()).append(" > ").append(p.destination()).append(": ");
        Transport l4 = p.transport();
        if (l4 instanceof TcpSegment t) {
            tcp(s, t);
        } else if (l4 instanceof UdpDatagram u) {
            s.append("UDP, length ").append(u.payloadLength());
        } else if (l4 instanceof IcmpMessage m) {
            icmp(s, m);
        } else if (l4 instanceof OtherTransport o) {
            s.append("ip-proto-").append(o.number()).append(' ').append(o.payloadLength());
        }
        return s.toString();
    }

    private static void tcp(StringBuilder s, TcpSegment t) {
        s.append("Flags [").append(TcpFlags.tcpdump(t.flags())).append(']');
        if (t.payloadLength() > 0 || t.has(TcpFlags.SYN) || t.has(TcpFlags.FIN) || t.has(TcpFlags.RST)) {
            s.append(", seq ").append(Seq.format(t.seq()));
            if (t.payloadLength() > 0) {
                s.append(':').append(Seq.format(t.seq() + t.payloadLength()));
            }
        }
        if (t.has(TcpFlags.ACK)) {
            s.append(", ack ").append(Seq.format(t.ack()));
        }
        s.append(", win ").append(t.window());
        String options = t.options().tcpdump();
        if (!options.isEmpty()) {
            s.append(", options ").append(options);
        }
        s.append(", length ").append(t.payloadLength());
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
