package io.kpsim.packet;

/**
 * TCP header flag bits (RFC 9293 §3.1, RFC 3168 for ECE/CWR) as an {@code int} bit set, with
 * tcpdump-style formatting.
 *
 * <p>Flags stay a primitive bit set because conntrack classifies them on every packet
 * ({@code get_conntrack_index} and the {@code tcp_valid_flags} table in {@code tcp_error()}).
 */
public final class TcpFlags {

    /** No more data from sender. */
    public static final int FIN = 0x01;
    /** Synchronize sequence numbers. */
    public static final int SYN = 0x02;
    /** Reset the connection. */
    public static final int RST = 0x04;
    /** Push function. */
    public static final int PSH = 0x08;
    /** Acknowledgment field is significant. */
    public static final int ACK = 0x10;
    /** Urgent pointer field is significant. */
    public static final int URG = 0x20;
    /** ECN-Echo. */
    public static final int ECE = 0x40;
    /** Congestion window reduced. */
    public static final int CWR = 0x80;

    private TcpFlags() {}

    /** Whether every bit of {@code flag} is set in {@code flags}. */
    public static boolean has(int flags, int flag) {
        return (flags & flag) == flag;
    }

    /**
     * tcpdump's flag string: {@code S} SYN, {@code F} FIN, {@code P} PSH, {@code R} RST,
     * {@code U} URG, {@code E} ECE, {@code W} CWR, {@code .} ACK; {@code none} when empty.
     * A SYN-ACK prints as {@code S.}, a data segment as {@code P.}.
     */
    public static String tcpdump(int flags) {
        StringBuilder s = new StringBuilder(8);
        if (has(flags, SYN)) {
            s.append('S');
        }
        if (has(flags, FIN)) {
            s.append('F');
        }
        if (has(flags, PSH)) {
            s.append('P');
        }
        if (has(flags, RST)) {
            s.append('R');
        }
        if (has(flags, URG)) {
            s.append('U');
        }
        if (has(flags, ECE)) {
            s.append('E');
        }
        if (has(flags, CWR)) {
            s.append('W');
        }
        if (has(flags, ACK)) {
            s.append('.');
        }
        return s.length() == 0 ? "none" : s.toString();
    }

    /** Upper-case names joined by {@code |}, as in the kernel log ({@code SYN|ACK}). */
    public static String names(int flags) {
        StringBuilder s = new StringBuilder();
        String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
        for (int bit = 0; bit < names.length; bit++) {
            if ((flags & (1 << bit)) != 0) {
                if (s.length() > 0) {
                    s.append('|');
                }
                s.append(names[bit]);
            }
        }
        return s.length() == 0 ? "NONE" : s.toString();
    }
}
