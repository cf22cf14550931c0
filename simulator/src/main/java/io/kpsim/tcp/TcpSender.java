package io.kpsim.tcp;

import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpSegment;

/**
 * The send half of a connection: SND.UNA/SND.NXT, the send window, the retransmission and
 * persist timers, NewReno recovery and the SACK scoreboard.
 *
 * <p>Positions are 64-bit stream offsets from our ISN (offset 0 is the SYN, data starts at 1,
 * the FIN sits at the end of the written data), converted to sequence numbers only on the wire.
 * {@code max} is the highest offset ever sent (BSD's {@code snd_max}); after an RTO the sender
 * goes back to SND.UNA and resends from there (RFC 5681 §3.1, RFC 6298 §5.4), skipping what the
 * receiver SACKed. RTT is timed on one segment at a time and never on a retransmission (Karn).
 * Zero windows are probed the way Linux does ({@code tcp_probe_timer}/{@code tcp_xmit_probe_skb}):
 * an ACK with sequence SND.UNA - 1 that the receiver must answer, backed off like the RTO.
 *
 * <p>This class holds the state and processes ACKs and timer expiries; what goes on the wire is
 * {@link SenderOutput}'s, whose functions read and advance these fields.
 */
final class TcpSender {

    /** {@link #flags} bit: the peer agreed to SACK (RFC 2018 §2). */
    static final byte SACK_OK = 1;
    /** {@link #flags} bit: the application closed, a FIN follows the written data. */
    static final byte FIN_QUEUED = 2;
    /** {@link #flags} bit: our SYN or SYN-ACK was sent again (RFC 6298 §5.7). */
    static final byte HANDSHAKE_RETRANSMITTED = 4;

    final TcpSocket socket;
    final RtoEstimator rto;
    // Made on first use (issue 17's memory per connection): the scoreboard on the first SACK block,
    // let go once SND.UNA passes every SACKed range; the persist timer the first time the peer's
    // window stalls us. The retransmission timer is RtoEstimator's, held only while armed.
    /** The SACK scoreboard, or null while nothing above SND.UNA is SACKed. */
    SackScoreboard sacked;
    /** The persist timer, or null until the peer's window first stalled us. */
    PersistTimer persistTimer;

    NewReno cc;

    int iss;
    int mss;

    long una;
    long nxt;
    long max;
    long writeEnd = 1;
    final SendWindow window = new SendWindow();

    long retransmitNext;
    /** RTO expiries in a row ({@code icsk_retransmits}); at most {@code tcp_retries2} (255) + 1. */
    short consecutiveTimeouts;
    /** {@link #SACK_OK}, {@link #FIN_QUEUED}, {@link #HANDSHAKE_RETRANSMITTED}. */
    byte flags;

    TcpSender(TcpSocket socket, TcpConfig config, int iss) {
        this.socket = socket;
        this.iss = iss;
        this.rto = new RtoEstimator(config);
        this.mss = config.mss();
        this.cc = new NewReno(mss, config.initialCwndSegments());
    }

    TcpConfig config() {
        return socket.stack().config();
    }

    boolean has(byte flag) {
        return (flags & flag) != 0;
    }

    boolean finQueued() {
        return has(FIN_QUEUED);
    }

    PersistTimer persistTimer() {
        if (persistTimer == null) {
            persistTimer =
                    new PersistTimer(socket.simulation(), config(), rto, () -> SenderOutput.probeZeroWindow(this));
        }
        return persistTimer;
    }

    // ---- wire conversions and accessors ----

    int seq(long offset) {
        return iss + (int) offset;
    }

    /** The stream offset an ACK number names, relative to SND.UNA. */
    long ackOffset(int ack) {
        return una + (ack - seq(una));
    }

    int iss() {
        return iss;
    }

    int sndUna() {
        return seq(una);
    }

    int sndNxt() {
        return seq(nxt);
    }

    long sndWnd() {
        return window.bytes();
    }

    int mss() {
        return mss;
    }

    boolean sackOk() {
        return has(SACK_OK);
    }

    long cwnd() {
        return cc.cwnd();
    }

    long ssthresh() {
        return cc.ssthresh();
    }

    RtoEstimator rto() {
        return rto;
    }

    long bytesWritten() {
        return writeEnd - 1;
    }

    long bytesAcked() {
        return Math.min(una, writeEnd) - Math.min(1, una);
    }

    /** Whether our FIN has been acknowledged. */
    boolean finAcked() {
        return finQueued() && una > writeEnd;
    }

    // ---- handshake ----

    /** Sets what the handshake negotiated (RFC 9293 §3.7.1 MSS, RFC 7323 §2.2, RFC 2018 §2). */
    void negotiated(int sendMss, int peerShift, boolean sack) {
        this.mss = sendMss;
        window.scale(peerShift);
        flags = (byte) (sack ? flags | SACK_OK : flags & ~SACK_OK);
        this.cc = new NewReno(mss, config().initialCwndSegments());
    }

    /**
     * Sends our SYN or SYN-ACK; a {@code retransmission} is counted and ends RTT timing (Karn).
     * The SYN-ACK of a simultaneous open reuses the SYN's sequence number but is not one.
     */
    void sendSyn(boolean withAck, SegmentAction reason, boolean retransmission) {
        socket.emit(seq(0), 0, TcpFlags.SYN | (withAck ? TcpFlags.ACK : 0), reason);
        if (retransmission) {
            socket.count(TcpCounter.RETRANSMITTED_SEGMENTS, 1);
            flags |= HANDSHAKE_RETRANSMITTED;
            rto.retransmitted(0, 1);
        } else if (max == 0) {
            nxt = 1;
            max = 1;
            rto.startTiming(0, socket.simulation().now());
        }
        rto.armTimer(socket.simulation(), this);
    }

    /** The peer's SYN (or the ACK completing a passive open) carried this unscaled window. */
    void initialWindow(int segSeq, long ackOffset, int offered) {
        window.initial(segSeq, ackOffset, offered);
    }

    /** Our SYN was acknowledged (active or passive open completes). */
    void synAcked() {
        una = 1;
        if (!rto.acked(1, socket.simulation().now()) && has(HANDSHAKE_RETRANSMITTED)) {
            rto.handshakeRetransmitted();
        }
        consecutiveTimeouts = 0;
        rto.cancelTimer();
    }

    // ---- application ----

    void write(long bytes) {
        writeEnd += bytes;
        output();
    }

    void queueFin() {
        flags |= FIN_QUEUED;
        output();
    }

    // ---- ACK processing ----

    /** What {@code seg}'s ACK field means here ({@link AckKind#of}). */
    AckKind classify(TcpSegment seg) {
        return AckKind.of(seg, ackOffset(seg.ack()), una, max, window);
    }

    /** Processes an acceptable ACK field of kind NEW, DUPLICATE or OTHER. */
    void onAck(TcpSegment seg, AckKind kind) {
        long ack = ackOffset(seg.ack());
        readSack(seg);
        window.offer(seg.seq(), ack, seg.window());
        switch (kind) {
            case NEW -> newAck(ack);
            case DUPLICATE -> duplicateAck();
            case OTHER -> cc.onOtherAck();
            case UNSENT, TOO_OLD -> throw new IllegalStateException("unacceptable ACK " + kind);
        }
    }

    private void readSack(TcpSegment seg) {
        if (!has(SACK_OK) || seg.options().sackBlocks().isEmpty()) {
            return;
        }
        SackScoreboard board = sacked == null ? new SackScoreboard() : sacked;
        if (board.record(seg.options().sackBlocks(), seg.ack(), seq(una), una, max)) {
            socket.count(TcpCounter.DSACKS_RECEIVED, 1);
        }
        sacked = SackScoreboard.keptOrNull(board); // a lone D-SACK, or blocks outside [SND.UNA, max): none
    }

    private void newAck(long ack) {
        long acked = ack - una;
        long flightBefore = nxt - una;
        long dataBefore = bytesAcked();
        rto.acked(ack, socket.simulation().now());
        una = ack;
        nxt = Math.max(nxt, una);
        retransmitNext = Math.max(retransmitNext, una);
        if (sacked != null) {
            sacked.discardBelow(una);
            sacked = SackScoreboard.keptOrNull(sacked);
        }
        socket.count(TcpCounter.BYTES_ACKED, bytesAcked() - dataBefore);
        consecutiveTimeouts = 0;
        if (cc.onNewAck(ack, acked, flightBefore, max - una)) {
            long start = Math.max(una, retransmitNext);
            if (start == una || SackScoreboard.nextHole(sacked, start) == start) {
                SenderOutput.retransmit(this, start, SegmentAction.RETRANSMIT_RECOVERY);
            }
        }
        if (una >= max) {
            rto.cancelTimer();
        } else {
            rto.armTimer(socket.simulation(), this);
        }
        if (finAcked()) {
            socket.teardown().finAcked();
        } else if (una >= writeEnd && writeEnd > 1 && dataBefore < bytesAcked()) {
            socket.allAcked();
        }
    }

    private void duplicateAck() {
        boolean wasInRecovery = cc.inRecovery();
        if (cc.onDuplicateAck(una, max)) {
            retransmitNext = una;
            socket.count(TcpCounter.FAST_RETRANSMITS, 1);
            SenderOutput.retransmit(this, una, SegmentAction.RETRANSMIT_FAST);
        } else if (wasInRecovery && has(SACK_OK)) {
            // A hole below the highest SACKed byte is lost for sure; resend it with this ACK's credit.
            long hole = SackScoreboard.nextHole(sacked, Math.max(una, retransmitNext));
            if (hole >= 0) {
                cc.spend(SenderOutput.retransmit(this, hole, SegmentAction.RETRANSMIT_RECOVERY));
            }
        }
    }

    /** Sends what the windows allow ({@link SenderOutput#output}). */
    void output() {
        SenderOutput.output(this);
    }

    /** The retransmission timer expired (RFC 6298 §5.4-5.6; Linux {@code tcp_retransmit_timer}). */
    void retransmitTimerExpired() {
        if (una >= max) {
            return;
        }
        socket.count(TcpCounter.TIMEOUTS, 1);
        consecutiveTimeouts++;
        boolean handshake = una == 0;
        int limit = handshake ? config().synRetries() : config().maxRetries();
        if (consecutiveTimeouts > limit) {
            socket.timedOut();
            return;
        }
        rto.backOff();
        rto.retransmitted(una, max);
        if (handshake) {
            sendSyn(socket.state() == TcpState.SYN_RECEIVED, SegmentAction.RETRANSMIT_TIMEOUT, true);
            return;
        }
        cc.onTimeout(max - una, max);
        retransmitNext = una;
        nxt = una;
        output();
        rto.armTimer(socket.simulation(), this);
    }

    /** Stops both timers (the connection is over). */
    void stop() {
        rto.cancelTimer();
        if (persistTimer != null) {
            persistTimer.cancel();
        }
    }
}
