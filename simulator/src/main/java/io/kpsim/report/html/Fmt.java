package io.kpsim.report.html;

import io.kpsim.engine.Durations;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpSegment;
import java.util.Locale;

/**
 * How numbers and packets are written on the page: the same words as the text report (times as
 * seconds with microseconds, tcpdump's flags), fixed formats independent of the machine's locale,
 * so the same run always gives the same bytes.
 */
final class Fmt {

    private Fmt() {}

    /** Simulated time as the text report prints it: {@code 0.013765s}. */
    static String time(long nanos) {
        return nanos / Durations.NANOS_PER_SECOND + "."
                + String.format(Locale.ROOT, "%06d", nanos % Durations.NANOS_PER_SECOND / Durations.NANOS_PER_MICRO)
                + "s";
    }

    /** A count or sequence distance with thousands separators: {@code 11,601,104}. */
    static String group(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A coordinate with one decimal. */
    static String coord(double v) {
        long tenths = Math.round(v * 10);
        String sign = tenths < 0 ? "-" : "";
        tenths = Math.abs(tenths);
        return tenths % 10 == 0 ? sign + tenths / 10 : sign + tenths / 10 + "." + tenths % 10;
    }

    /**
     * The arrow's label: tcpdump's flags, then seq (with its end when the segment carries data),
     * ack, window and length, relative when the connection's handshake is known:
     * {@code [P.] seq 13376413:13376420 ack 101 win 512 len 7}.
     */
    static String label(Arrow a) {
        Packet p = a.packet();
        if (p.protocol() != Protocol.TCP) {
            return p.protocol().name();
        }
        TcpSegment s = p.tcp();
        StringBuilder b = new StringBuilder(48)
                .append('[')
                .append(TcpFlags.tcpdump(s.flags()))
                .append(']');
        boolean relative = a.relativeSeq() != Arrow.UNKNOWN;
        long seq = relative ? a.relativeSeq() : Integer.toUnsignedLong(s.seq());
        boolean showSeq = s.payloadLength() > 0 || s.has(TcpFlags.SYN) || s.has(TcpFlags.FIN) || s.has(TcpFlags.RST);
        if (showSeq) {
            b.append(" seq ").append(seq);
            if (s.payloadLength() > 0) {
                b.append(':').append(seq + s.payloadLength());
            }
        }
        if (s.has(TcpFlags.ACK)) {
            long ack = a.relativeAck() != Arrow.UNKNOWN ? a.relativeAck() : Integer.toUnsignedLong(s.ack());
            b.append(" ack ").append(ack);
        }
        b.append(" win ").append(s.window());
        if (s.payloadLength() > 0) {
            b.append(" len ").append(s.payloadLength());
        }
        return b.toString();
    }

    /** Just the flags, for the small ladders: {@code [P.]}. */
    static String flags(Arrow a) {
        Packet p = a.packet();
        return p.protocol() == Protocol.TCP
                ? "[" + TcpFlags.tcpdump(p.tcp().flags()) + "]"
                : p.protocol().name();
    }

    /** The packet in tcpdump's words, without the leading {@code IP }. */
    static String summary(Packet p) {
        String s = p.summary();
        return s.startsWith("IP ") ? s.substring(3) : s;
    }
}
