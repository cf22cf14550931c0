package io.kpsim.conntrack;

/**
 * The bits of {@code struct ip_ct_tcp_state.flags} ({@code seen[dir].flags}) and of
 * {@code struct ip_ct_tcp.last_flags}, as {@code include/uapi/linux/netfilter/nf_conntrack_tcp.h}
 * and {@code nf_conntrack_proto_tcp.c} define them. {@link EntryStore} keeps each direction's
 * flags in one byte of the entry's record ({@link EntryLayout#TD_FLAGS_BITS}), so every bit here
 * must stay below 0x100 ({@code EntryLayoutTest} checks).
 */
final class TcpSeenFlags {

    /** {@code IP_CT_TCP_FLAG_WINDOW_SCALE}. */
    static final int F_WINDOW_SCALE = 0x01;
    /** {@code IP_CT_TCP_FLAG_SACK_PERM}. */
    static final int F_SACK_PERM = 0x02;
    /** {@code IP_CT_TCP_FLAG_CLOSE_INIT}: this direction sent the first FIN. */
    static final int F_CLOSE_INIT = 0x04;
    /** {@code IP_CT_TCP_FLAG_BE_LIBERAL}. */
    static final int F_BE_LIBERAL = 0x08;
    /** {@code IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED}. */
    static final int F_DATA_UNACKNOWLEDGED = 0x10;
    /** {@code IP_CT_TCP_FLAG_MAXACK_SET}. */
    static final int F_MAXACK_SET = 0x20;
    /** {@code IP_CT_EXP_CHALLENGE_ACK} (in {@code last_flags}). */
    static final int F_EXP_CHALLENGE_ACK = 0x40;
    /** {@code IP_CT_TCP_SIMULTANEOUS_OPEN} (in {@code last_flags}). */
    static final int F_SIMULTANEOUS_OPEN = 0x80;

    private TcpSeenFlags() {}
}
