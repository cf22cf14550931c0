package io.kpsim.tcp;

/**
 * What a stack did with a segment it received, or why it sent one: the words a trace or a
 * narration prints beside the packet, each tied to the rule that decided it.
 */
public enum SegmentAction {
    // ---- received ----
    /** A SYN for a listening port created a connection in SYN_RECEIVED (RFC 9293 §3.10.7.2). */
    PASSIVE_OPEN(true, "SYN to a listening port: new connection in SYN_RECEIVED"),
    /** The SYN-ACK completed an active open (RFC 9293 §3.10.7.3). */
    SYN_ACK_ESTABLISHED(true, "SYN-ACK acknowledges our SYN: ESTABLISHED"),
    /** The ACK of our SYN-ACK completed a passive open. */
    ACK_ESTABLISHED(true, "ACK of our SYN-ACK: ESTABLISHED"),
    /** A retransmitted SYN in SYN_RECEIVED: the SYN-ACK is sent again. */
    SYN_RETRANSMITTED(true, "retransmitted SYN: SYN-ACK sent again"),
    /** A SYN without ACK in SYN_SENT: simultaneous open (RFC 9293 §3.5, figure 7). */
    SIMULTANEOUS_OPEN(true, "SYN while in SYN_SENT: simultaneous open, SYN-ACK sent"),
    /** Data at RCV.NXT, queued for the application. */
    DATA_IN_ORDER(true, "data at RCV.NXT: queued for the application"),
    /** Data beyond RCV.NXT, held for reassembly and reported in SACK blocks (RFC 2018). */
    DATA_OUT_OF_ORDER(true, "data beyond RCV.NXT: held for reassembly and SACKed"),
    /** Data already received; answered with a D-SACK (RFC 2883). */
    DATA_DUPLICATE(true, "data already received: duplicate, D-SACK sent"),
    /** A segment that acknowledges new data (and carries none). */
    ACK_NEW(true, "ACK of new data"),
    /** A duplicate ACK (RFC 5681 §2). */
    ACK_DUPLICATE(true, "duplicate ACK"),
    /** An ACK that neither acknowledges new data nor counts as a duplicate. */
    ACK_OTHER(true, "ACK (window update or old)"),
    /** The peer's FIN (RFC 9293 §3.10.7.4, eighth step). */
    FIN_RECEIVED(true, "FIN: the peer closed its side"),
    /** Nothing matched the segment; a RST answered it (RFC 9293 §3.10.7.1). */
    NO_SOCKET_RST_SENT(true, "no socket: sent RST"),
    /** Nothing matched the segment, which was itself a RST: dropped without answer. */
    NO_SOCKET_RST_DROPPED(true, "no connection, and the segment is a RST: dropped"),
    /** A RST whose sequence number is exactly RCV.NXT (or the highest SACKed byte) reset the
     * connection (RFC 5961 §3.2). */
    RST_ACCEPTED(true, "RST accepted: seq == RCV.NXT"),
    /** A RST at the right edge of the highest SACK block: accepted as Linux does
     * ({@code tcp_validate_incoming}, {@code max_sack}; RFC 5961 §3.2 leaves this to the stack). */
    RST_ACCEPTED_SACK_EDGE(true, "RST accepted: seq == highest SACKed sequence"),
    /** A RST one below RCV.NXT after the peer's FIN (CLOSE_WAIT, LAST_ACK, CLOSING): accepted as
     * Linux's {@code tcp_reset_check} does, for stacks that reset with the FIN's sequence number. */
    RST_ACCEPTED_AFTER_FIN(true, "RST accepted: seq == RCV.NXT - 1 after the peer's FIN"),
    /** A RST in SYN_SENT whose ACK acknowledges our SYN: connection refused (RFC 9293 §3.10.7.3). */
    RST_ACCEPTED_SYN_SENT(true, "RST accepted in SYN_SENT: ACK acknowledges our SYN"),
    /** A RST inside the window but not at RCV.NXT: challenge ACK (RFC 5961 §3.2). */
    RST_CHALLENGED(true, "RST in window but seq != RCV.NXT: challenge ACK"),
    /** A RST outside the receive window: dropped silently (RFC 5961 §3.2). */
    RST_OUT_OF_WINDOW(true, "RST outside the receive window: dropped"),
    /** A RST in SYN_SENT whose ACK does not acknowledge our SYN: dropped. */
    RST_BAD_ACK_DROPPED(true, "RST in SYN_SENT without an acceptable ACK: dropped"),
    /** A SYN in a synchronized state: challenge ACK (RFC 5961 §4). */
    SYN_CHALLENGED(true, "SYN in a synchronized state: challenge ACK"),
    /** A segment outside the receive window: an ACK answers it (RFC 9293 §3.10.7.4, first step). */
    UNACCEPTABLE_SEQ(true, "sequence outside the receive window: ACK sent, segment dropped"),
    /** An ACK for data never sent: an ACK answers it (RFC 9293 §3.10.7.4, fifth step). */
    ACK_UNSENT_DATA(true, "ACK for data not yet sent: ACK sent, segment dropped"),
    /** An ACK older than SND.UNA - MAX.SND.WND: challenge ACK (RFC 5961 §5.2). */
    ACK_TOO_OLD(true, "ACK below SND.UNA - MAX.SND.WND: challenge ACK"),
    /** An unacceptable ACK in SYN_SENT, SYN_RECEIVED or to a listener: RST <SEQ=SEG.ACK>. */
    BAD_ACK_RST_SENT(true, "unacceptable ACK before ESTABLISHED: sent RST"),
    /** A segment without ACK, SYN or RST where one is required: dropped (RFC 9293 §3.10.7.4). */
    DROPPED_NO_ACK(true, "no ACK bit: dropped"),
    /** A segment in TIME_WAIT: acknowledged again, 2*MSL restarted for a FIN. */
    TIME_WAIT_ACK(true, "segment in TIME_WAIT: ACK sent"),
    /** A SYN in TIME_WAIT with a higher sequence number: the old connection makes way for a new
     * one (Linux {@code tcp_timewait_state_process}, TCP_TW_SYN). */
    TIME_WAIT_REUSED(true, "new SYN in TIME_WAIT: old connection ended, SYN goes to the listener"),
    /** The destination address is not this stack's: dropped. */
    WRONG_ADDRESS(true, "destination is not this host: dropped"),

    // ---- sent ----
    /** Our SYN (active open). */
    SYN(false, "SYN"),
    /** Our SYN-ACK (passive open). */
    SYN_ACK(false, "SYN-ACK"),
    /** A pure ACK. */
    ACK(false, "ACK"),
    /** New data. */
    DATA(false, "data"),
    /** Our FIN (the application closed). */
    FIN(false, "FIN"),
    /** A retransmission after the retransmission timer expired (RFC 6298 §5.4). */
    RETRANSMIT_TIMEOUT(false, "retransmission: RTO expired"),
    /** A fast retransmission after three duplicate ACKs (RFC 5681 §3.2). */
    RETRANSMIT_FAST(false, "fast retransmission: three duplicate ACKs"),
    /** A retransmission during fast recovery: partial ACK (RFC 6582) or SACK hole (RFC 2018). */
    RETRANSMIT_RECOVERY(false, "retransmission in fast recovery"),
    /** An ACK sent because the application's reads opened the window. */
    WINDOW_UPDATE(false, "window update"),
    /** A zero-window probe from the persist timer (RFC 9293 §3.8.6.1). */
    ZERO_WINDOW_PROBE(false, "zero-window probe"),
    /** A challenge ACK (RFC 5961 §3.2, §4, §5.2). */
    CHALLENGE_ACK(false, "challenge ACK"),
    /** A RST for a segment that matched no socket (RFC 9293 §3.10.7.1). */
    RST_NO_SOCKET(false, "RST: no socket for the segment"),
    /** A RST for an unacceptable ACK in a non-synchronized state (RFC 9293 §3.10.7.2-3). */
    RST_BAD_ACK(false, "RST: unacceptable ACK"),
    /** A RST because the application aborted the connection (RFC 9293 §3.10.5). */
    RST_ABORT(false, "RST: application aborted the connection"),
    /** A RST because the application closed with unread data (RFC 2525 §2.17, Linux
     * {@code tcp_close}: "data_was_unread"). */
    RST_UNREAD_DATA(false, "RST: application closed with unread data");

    private final boolean received;
    private final String text;

    SegmentAction(boolean received, String text) {
        this.received = received;
        this.text = text;
    }

    /** Whether this describes a received segment (else a reason for sending one). */
    public boolean received() {
        return received;
    }

    /** The human explanation, e.g. {@code no socket: sent RST}. */
    public String text() {
        return text;
    }
}
