package io.kpsim.conntrack;

import io.kpsim.conntrack.profile.Kernel;
import io.kpsim.conntrack.profile.Switch;
import io.kpsim.packet.Ip4;

/**
 * Why conntrack refused, ignored or dropped a packet: one code per check that can fail, turned
 * into the words the given kernel logs only where a person reads them ({@link LoggedReason#words()}).
 * The packet path records a code and up to three int arguments, so refusing a packet allocates
 * nothing.
 *
 * <p>The words are the kernel's format strings, byte for byte, trailing spaces included, as
 * {@code nf_l4proto_log_invalid()} passes them to {@code "nf_ct_proto_%d: %pV "} (4.15 and later:
 * {@code tcp_error()}, {@code tcp_new()}, {@code nf_conntrack_tcp_packet()}, {@code tcp_in_window()}
 * in {@code nf_conntrack_proto_tcp.c}, {@code udp_error()}, {@code nf_conntrack_icmpv4_error()},
 * {@code nf_conntrack_inet_error()}), or as 4.14's trackers passed them to {@code nf_log_packet()}
 * themselves ({@code "nf_ct_tcp: invalid RST "}, prefix included). Which words a kernel uses, and
 * whether it logs a code at all, is decided by its {@link Switch}es ({@link #logged},
 * {@link #words}). The arguments each code reads are listed on it as {@code (a, b, c)}.
 */
public enum CtReason {
    /** {@code tcp_error()}: the header is shorter than its data offset says. */
    TRUNCATED_PACKET,
    /** {@code tcp_error()} with {@code nf_conntrack_checksum} on, at PREROUTING. */
    BAD_CHECKSUM,
    /** {@code udp_error()} with {@code nf_conntrack_checksum} on, at PREROUTING. */
    UDP_BAD_CHECKSUM,
    /** {@code tcp_error()}: a flag combination outside {@code tcp_valid_flags[]}. */
    INVALID_TCP_FLAGS,
    /** {@code tcp_new()}: the first packet cannot open a connection (logged from 6.12 only). */
    INVALID_NEW,
    /** {@code sIV}, a transition the state table forbids: {@code (a, b, c)} = flag class, direction, old state. */
    INVALID_IN_STATE,
    /** {@code sIG}, a packet let through unchanged: {@code (a, b, c)} = flag class, direction, old state. */
    IGNORED_IN_STATE,
    /** An RFC 5961 challenge ACK in LAST_ACK, not the last ACK. */
    CHALLENGE_ACK_IGNORED,
    /** A RST under {@code td_maxack}. */
    INVALID_RST,
    /**
     * Check I failed by no more than the receiver's window while II, III and IV held: {@code (a)} =
     * bytes over (u32). 5.15.68+ logs "N bytes more than expected"; older kernels the check I text.
     */
    BYTES_MORE_THAN_EXPECTED,
    /** Bound I: {@code (a)} = the bound (u32, printed from 6.1). */
    SEQ_OVER_UPPER_BOUND,
    /** Bound III: {@code (a)} = the bound (u32, printed from 6.1). */
    ACK_OVER_UPPER_BOUND,
    /** Bound II: {@code (a)} = the bound (u32, printed from 6.1). */
    SEQ_UNDER_LOWER_BOUND,
    /** Bound IV: {@code (a)} = the bound (u32, printed from 6.1). */
    ACK_UNDER_LOWER_BOUND,
    /** {@code icmp_error()} with {@code nf_conntrack_checksum} on, at PREROUTING. */
    BAD_ICMP_CHECKSUM,
    /** {@code icmp_error()}: a type above {@code NR_ICMP_TYPES}. */
    INVALID_ICMP_TYPE,
    /** 5.1+ {@code nf_conntrack_inet_error()}: {@code (a, b)} = outer destination, inner conntrack's destination. */
    OUTER_DADDR_MISMATCH,
    /** {@code __nf_conntrack_alloc()}: {@code nf_conntrack_max} reached and nothing could be early-dropped. */
    TABLE_FULL;

    /**
     * Whether {@code kernel} logs this code at all: 4.19.0..4.19.43 log no invalid packet
     * ({@link Switch#LOG_INVALID_CONDITION_FIXED}), and {@code "invalid new"} is a {@code pr_debug()}
     * before 6.12 ({@link Switch#TCP_INVALID_NEW_LOGGED}). The table-full warning is
     * {@code net_warn_ratelimited()}, always printed.
     */
    boolean logged(Kernel kernel) {
        if (this == TABLE_FULL) {
            return true;
        }
        if (kernel.has(Switch.L4PROTO_LOG_INVALID) && !kernel.has(Switch.LOG_INVALID_CONDITION_FIXED)) {
            return false;
        }
        return this != INVALID_NEW || kernel.has(Switch.TCP_INVALID_NEW_LOGGED);
    }

    /** The words {@code kernel} logs for this code with its arguments. */
    String words(Kernel kernel, int a, int b, int c) {
        boolean v414 = !kernel.has(Switch.L4PROTO_LOG_INVALID);
        boolean perCheck = kernel.has(Switch.TCP_WINDOW_IGNORE);
        return switch (this) {
            case TRUNCATED_PACKET -> v414 ? "nf_ct_tcp: truncated/malformed packet " : "truncated packet";
            case BAD_CHECKSUM -> v414 ? "nf_ct_tcp: bad TCP checksum " : "bad checksum";
            case UDP_BAD_CHECKSUM -> v414 ? "nf_ct_udp: bad UDP checksum " : "bad checksum";
            case INVALID_TCP_FLAGS ->
                v414 ? "nf_ct_tcp: invalid TCP flag combination " : "invalid tcp flag combination";
            case INVALID_NEW -> "invalid new";
            case INVALID_IN_STATE -> {
                if (kernel.has(Switch.TCP_LOG_INVALID_WITH_INDEX)) {
                    yield "packet (index " + a + ") in dir " + b + " invalid, state " + TcpConntrackTable.name(c);
                }
                yield v414 ? "nf_ct_tcp: invalid state " : "invalid state";
            }
            case IGNORED_IN_STATE -> {
                if (kernel.has(Switch.TCP_LOG_IGNORED_WITH_INDEX)) {
                    yield "packet (index " + a + ") in dir " + b + " ignored, state " + TcpConntrackTable.name(c);
                }
                yield (v414 ? "nf_ct_tcp: " : "") + "invalid packet ignored in state " + TcpConntrackTable.name(c)
                        + " ";
            }
            case CHALLENGE_ACK_IGNORED -> v414 ? "nf_ct_tcp: challenge-ACK ignored " : "challenge-ack ignored";
            case INVALID_RST -> v414 ? "nf_ct_tcp: invalid RST " : "invalid rst";
            case BYTES_MORE_THAN_EXPECTED ->
                kernel.has(Switch.TCP_WINDOW_OVERSHOOT)
                        ? u32(a) + " bytes more than expected"
                        : window(v414, "SEQ is over the upper bound (over the window of the receiver)");
            case SEQ_OVER_UPPER_BOUND ->
                perCheck
                        ? "SEQ is over upper bound " + u32(a) + " (over the window of the receiver)"
                        : window(v414, "SEQ is over the upper bound (over the window of the receiver)");
            case ACK_OVER_UPPER_BOUND ->
                perCheck
                        ? "ACK is over upper bound " + u32(a) + " (ACKed data not seen yet)"
                        : window(v414, "ACK is over the upper bound (ACKed data not seen yet)");
            case SEQ_UNDER_LOWER_BOUND ->
                perCheck
                        ? "SEQ is under lower bound " + u32(a) + " (already ACKed data retransmitted)"
                        : window(v414, "SEQ is under the lower bound (already ACKed data retransmitted)");
            case ACK_UNDER_LOWER_BOUND ->
                perCheck
                        ? "ignored ACK under lower bound " + u32(a) + " (possible overly delayed)"
                        : window(v414, "ACK is under the lower bound (possible overly delayed ACK)");
            case BAD_ICMP_CHECKSUM -> v414 ? "nf_ct_icmp: bad HW ICMP checksum " : "bad hw icmp checksum";
            case INVALID_ICMP_TYPE -> v414 ? "nf_ct_icmp: invalid ICMP type " : "invalid icmp type";
            case OUTER_DADDR_MISMATCH -> "outer daddr " + Ip4.format(a) + " != inner " + Ip4.format(b);
            case TABLE_FULL -> "nf_conntrack: table full, dropping packet";
        };
    }

    /** 4.14's {@code "nf_ct_tcp: %s "}, or the bare ternary-chain text of 4.15..6.0. */
    private static String window(boolean v414, String text) {
        return v414 ? "nf_ct_tcp: " + text + " " : text;
    }

    private static String u32(int v) {
        return Integer.toUnsignedString(v);
    }
}
