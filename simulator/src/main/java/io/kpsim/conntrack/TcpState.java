package io.kpsim.conntrack;

/**
 * {@code enum tcp_conntrack} from {@code include/uapi/linux/netfilter/nf_conntrack_tcp.h}, in
 * kernel order (the ordinal is the column index of {@code tcp_conntracks[][][]}).
 * {@code SYN_SENT2} reuses the obsolete {@code TCP_CONNTRACK_LISTEN} slot, as in the kernel.
 */
public enum TcpState {
    /** sNO: no state yet. */
    NONE,
    /** sSS: SYN seen in the original direction. */
    SYN_SENT,
    /** sSR: SYN-ACK seen. */
    SYN_RECV,
    /** sES: three-way handshake done, or picked up. */
    ESTABLISHED,
    /** sFW: one side sent FIN. */
    FIN_WAIT,
    /** sCW: FIN acknowledged, other side still open. */
    CLOSE_WAIT,
    /** sLA: both sent FIN, last ACK pending. */
    LAST_ACK,
    /** sTW: closed, lingering. */
    TIME_WAIT,
    /** sCL: reset or fully closed. */
    CLOSE,
    /** sS2: simultaneous open, SYN seen in both directions. */
    SYN_SENT2;

    /** Whether {@code tcp_can_early_drop()} treats the state as closing. */
    public boolean closing() {
        return switch (this) {
            case FIN_WAIT, LAST_ACK, TIME_WAIT, CLOSE, CLOSE_WAIT -> true;
            case NONE, SYN_SENT, SYN_RECV, ESTABLISHED, SYN_SENT2 -> false;
        };
    }
}
