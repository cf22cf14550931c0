package io.kpsim.tcp;

/**
 * The connection states of RFC 9293 §3.3.2 as an endpoint sees them (not conntrack's view of a
 * connection, which is {@code io.kpsim.conntrack.TcpState}).
 *
 * <p>LISTEN is held by {@link TcpListener}, never by a {@link TcpSocket}; sockets start in
 * SYN_SENT (active open) or SYN_RECEIVED (passive open) and end in CLOSED.
 */
public enum TcpState {
    /** No connection; a socket that was reset, timed out, aborted or finished LAST_ACK/TIME_WAIT. */
    CLOSED,
    /** Waiting for a SYN (listeners only). */
    LISTEN,
    /** Our SYN is sent; waiting for the SYN-ACK. */
    SYN_SENT,
    /** A SYN arrived and our SYN-ACK is sent; waiting for the final ACK. */
    SYN_RECEIVED,
    /** The handshake is done; data flows both ways. */
    ESTABLISHED,
    /** We sent FIN; it is not yet acknowledged. */
    FIN_WAIT_1,
    /** Our FIN is acknowledged; waiting for the peer's FIN. */
    FIN_WAIT_2,
    /** The peer sent FIN; waiting for our application to close. */
    CLOSE_WAIT,
    /** Both sides sent FIN at once; waiting for the ACK of ours. */
    CLOSING,
    /** The peer closed first and we sent FIN; waiting for its ACK. */
    LAST_ACK,
    /** Both FINs acknowledged; waiting 2*MSL so stray segments die out (RFC 9293 §3.6). */
    TIME_WAIT;

    /** Whether this is a synchronized state (RFC 9293 §3.5.2: ESTABLISHED and later). */
    public boolean synchronizedState() {
        return switch (this) {
            case CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED -> false;
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT -> true;
        };
    }

    /** Whether in this state arriving data is still delivered to the application. */
    public boolean receivesData() {
        return switch (this) {
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2 -> true;
            case CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT -> false;
        };
    }

    /** Whether in this state the application may still queue data to send. */
    public boolean acceptsWrites() {
        return switch (this) {
            case SYN_SENT, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT -> true;
            case CLOSED, LISTEN, FIN_WAIT_1, FIN_WAIT_2, CLOSING, LAST_ACK, TIME_WAIT -> false;
        };
    }
}
