package io.kpsim.conntrack;

import io.kpsim.packet.Ip4;

/**
 * Why conntrack refused, ignored or dropped a packet: one code per message the kernel logs,
 * turned into the kernel's words only where a person reads them ({@link LoggedReason#words()}).
 * The packet path records a code and up to three int arguments, so refusing a packet allocates
 * nothing.
 *
 * <p>The words are the kernel's, byte for byte, without the {@code nf_ct_proto_6: } prefix of
 * {@code nf_l4proto_log_invalid()}: {@code tcp_error()}, {@code tcp_new()},
 * {@code nf_conntrack_tcp_packet()} and {@code tcp_in_window()} in
 * {@code net/netfilter/nf_conntrack_proto_tcp.c}, {@code udp_error()}, the ICMP checks of
 * {@code nf_conntrack_proto_icmp.c} and {@code __nf_conntrack_alloc()}'s table-full warning. Codes
 * named {@code V4_*} carry the wording of 4.19, where it differs from 6.x. The arguments each code
 * reads are listed on it as {@code (a, b, c)}.
 */
public enum CtReason {
    /** {@code tcp_error()}: the options run past the header. */
    TRUNCATED_PACKET,
    /** {@code tcp_error()} or {@code udp_error()} with {@code nf_conntrack_checksum} on. */
    BAD_CHECKSUM,
    /** {@code tcp_error()}: a flag combination outside {@code tcp_valid_flags[]}. */
    INVALID_TCP_FLAGS,
    /** {@code tcp_new()}: the first packet cannot open a connection. */
    INVALID_NEW,
    /** {@code sIV}, 6.x: {@code (a, b, c)} = flag class, direction, old state. */
    INVALID_IN_STATE,
    /** {@code sIV}, 4.19. */
    V4_INVALID_STATE,
    /** {@code sIG}, 6.x: {@code (a, b, c)} = flag class, direction, old state. */
    IGNORED_IN_STATE,
    /** {@code sIG}, 4.19: {@code (c)} = old state. */
    V4_IGNORED_IN_STATE,
    /** An RFC 5961 challenge ACK in LAST_ACK, not the last ACK. */
    CHALLENGE_ACK_IGNORED,
    /** A RST under {@code td_maxack}. */
    INVALID_RST,
    /** 6.x: a sender overshooting the receiver's window a little: {@code (a)} = bytes over (u32). */
    BYTES_MORE_THAN_EXPECTED,
    /** 6.x bound I: {@code (a)} = the bound (u32). */
    SEQ_OVER_UPPER_BOUND,
    /** 6.x bound III: {@code (a)} = the bound (u32). */
    ACK_OVER_UPPER_BOUND,
    /** 6.x bound II: {@code (a)} = the bound (u32). */
    SEQ_UNDER_LOWER_BOUND,
    /** 6.x bound IV: {@code (a)} = the bound (u32). */
    ACK_UNDER_LOWER_BOUND,
    /** 4.19 bound I. */
    V4_SEQ_OVER_UPPER_BOUND,
    /** 4.19 bound II. */
    V4_SEQ_UNDER_LOWER_BOUND,
    /** 4.19 bound III. */
    V4_ACK_OVER_UPPER_BOUND,
    /** 4.19 bound IV. */
    V4_ACK_UNDER_LOWER_BOUND,
    /** {@code icmp_error()} with {@code nf_conntrack_checksum} on. */
    BAD_ICMP_CHECKSUM,
    /** {@code icmp_error()}: a type above {@code NR_ICMP_TYPES}. */
    INVALID_ICMP_TYPE,
    /** {@code icmp_error()}: an error message without the packet it quotes. */
    SHORT_PACKET,
    /** {@code icmp_new()}: a type that cannot open a connection: {@code (a)} = the type. */
    ICMP_CANNOT_CREATE,
    /** 6.x {@code icmp_error_message()}: {@code (a, b)} = outer destination, inner conntrack's destination. */
    OUTER_DADDR_MISMATCH,
    /** {@code __nf_conntrack_alloc()}: {@code nf_conntrack_max} reached and nothing could be early-dropped. */
    TABLE_FULL;

    /** The kernel's words for this code with its arguments. */
    String words(int a, int b, int c) {
        return switch (this) {
            case TRUNCATED_PACKET -> "truncated packet";
            case BAD_CHECKSUM -> "bad checksum";
            case INVALID_TCP_FLAGS -> "invalid tcp flag combination";
            case INVALID_NEW -> "invalid new";
            case INVALID_IN_STATE ->
                "packet (index " + a + ") in dir " + b + " invalid, state " + TcpConntrackTable.name(c);
            case V4_INVALID_STATE -> "invalid state";
            case IGNORED_IN_STATE ->
                "packet (index " + a + ") in dir " + b + " ignored, state " + TcpConntrackTable.name(c);
            case V4_IGNORED_IN_STATE -> "invalid packet ignored in state " + TcpConntrackTable.name(c);
            case CHALLENGE_ACK_IGNORED -> "challenge-ack ignored";
            case INVALID_RST -> "invalid rst";
            case BYTES_MORE_THAN_EXPECTED -> u32(a) + " bytes more than expected";
            case SEQ_OVER_UPPER_BOUND -> "SEQ is over upper bound " + u32(a) + " (over the window of the receiver)";
            case ACK_OVER_UPPER_BOUND -> "ACK is over upper bound " + u32(a) + " (ACKed data not seen yet)";
            case SEQ_UNDER_LOWER_BOUND -> "SEQ is under lower bound " + u32(a) + " (already ACKed data retransmitted)";
            case ACK_UNDER_LOWER_BOUND -> "ignored ACK under lower bound " + u32(a) + " (possible overly delayed)";
            case V4_SEQ_OVER_UPPER_BOUND -> "SEQ is over the upper bound (over the window of the receiver)";
            case V4_SEQ_UNDER_LOWER_BOUND -> "SEQ is under the lower bound (already ACKed data retransmitted)";
            case V4_ACK_OVER_UPPER_BOUND -> "ACK is over the upper bound (ACKed data not seen yet)";
            case V4_ACK_UNDER_LOWER_BOUND -> "ACK is under the lower bound (possible overly delayed ACK)";
            case BAD_ICMP_CHECKSUM -> "bad hw icmp checksum";
            case INVALID_ICMP_TYPE -> "invalid icmp type";
            case SHORT_PACKET -> "short packet";
            case ICMP_CANNOT_CREATE -> "icmp: can't create new conn with type " + a;
            case OUTER_DADDR_MISMATCH -> "outer daddr " + Ip4.format(a) + " != inner " + Ip4.format(b);
            case TABLE_FULL -> "nf_conntrack: table full, dropping packet";
        };
    }

    private static String u32(int v) {
        return Integer.toUnsignedString(v);
    }
}
