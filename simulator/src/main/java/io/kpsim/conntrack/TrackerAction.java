package io.kpsim.conntrack;

/**
 * What a protocol tracker decided, as the int codes the packet path passes around: the kernel's
 * {@code enum nf_ct_tcp_action} ({@code NFCT_TCP_IGNORE}, {@code NFCT_TCP_INVALID},
 * {@code NFCT_TCP_ACCEPT}) and the return values of {@code nf_conntrack_tcp_packet()}
 * ({@code NF_ACCEPT}, {@code -NF_ACCEPT}, {@code -NF_REPEAT}, {@code NF_DROP}).
 */
final class TrackerAction {

    /** {@code NF_ACCEPT}: tracked, state and timeout updated. */
    static final int ACCEPT = 0;
    /** {@code NF_ACCEPT} without state change: {@code sIG} or {@code NFCT_TCP_IGNORE}. */
    static final int IGNORE = 1;
    /** {@code -NF_ACCEPT}: the packet loses its conntrack (ctstate INVALID). */
    static final int INVALID = 2;
    /** {@code NF_ACCEPT} after {@code nf_ct_kill_acct()}: tracked, but the entry is gone. */
    static final int ACCEPT_KILLED = 3;
    /** {@code -NF_REPEAT}: the entry was killed, look the packet up again. */
    static final int REPEAT = 4;

    private TrackerAction() {}
}
