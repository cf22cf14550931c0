package io.kpsim.tcp;

/**
 * A snapshot of one connection's internals, the model's {@code struct tcp_info} (what
 * {@code ss -tin} prints): for traces, reports and tests. Sequence numbers are wire values.
 *
 * @param state the connection state
 * @param iss our initial sequence number
 * @param irs the peer's initial sequence number
 * @param sndUna oldest unacknowledged sequence number
 * @param sndNxt next sequence number to send
 * @param rcvNxt next sequence number expected
 * @param sendWindow the peer's offered window in bytes (scaled)
 * @param receiveWindow RCV.WND: what remains of the window we advertised
 * @param receiveCapacity payload the receive buffer holds now (grows with autotuning)
 * @param cwnd congestion window in bytes
 * @param ssthresh slow-start threshold in bytes ({@code Long.MAX_VALUE} before any loss)
 * @param srttNanos smoothed RTT, -1 before the first sample
 * @param rtoNanos the retransmission timeout that would be armed now (backoff included)
 * @param sendMss the MSS we send with (the smaller of ours and the peer's)
 * @param windowScaling whether both sides agreed on window scaling (RFC 7323)
 * @param sack whether both sides agreed on SACK (RFC 2018)
 * @param bytesWritten bytes the application wrote
 * @param bytesAcked bytes of ours the peer acknowledged
 * @param bytesDelivered bytes the application read
 * @param bytesToRead bytes received in order and not yet read
 */
public record TcpInfo(
        TcpState state,
        int iss,
        int irs,
        int sndUna,
        int sndNxt,
        int rcvNxt,
        long sendWindow,
        long receiveWindow,
        long receiveCapacity,
        long cwnd,
        long ssthresh,
        long srttNanos,
        long rtoNanos,
        int sendMss,
        boolean windowScaling,
        boolean sack,
        long bytesWritten,
        long bytesAcked,
        long bytesDelivered,
        long bytesToRead) {

    /** What {@code socket} holds now. */
    static TcpInfo of(TcpSocket socket) {
        TcpSender sender = socket.sender();
        TcpReceiver receiver = socket.receiver();
        return new TcpInfo(
                socket.state(),
                sender.iss(),
                receiver.irs(),
                sender.sndUna(),
                sender.sndNxt(),
                receiver.rcvNxt(),
                sender.sndWnd(),
                receiver.rcvWnd(),
                receiver.capacity(),
                sender.cwnd(),
                sender.ssthresh(),
                sender.srttNanos(),
                sender.rtoNanos(),
                sender.mss(),
                socket.windowScaling(),
                sender.sackOk(),
                sender.bytesWritten(),
                sender.bytesAcked(),
                receiver.delivered(),
                receiver.queued());
    }
}
