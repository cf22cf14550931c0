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
 */
final class TcpSender {

    /** {@link #flags} bit: the peer agreed to SACK (RFC 2018 §2). */
    private static final byte SACK_OK = 1;
    /** {@link #flags} bit: the application closed, a FIN follows the written data. */
    private static final byte FIN_QUEUED = 2;
    /** {@link #flags} bit: our SYN or SYN-ACK was sent again (RFC 6298 §5.7). */
    private static final byte HANDSHAKE_RETRANSMITTED = 4;

    private final TcpSocket socket;
    private final RtoEstimator rto;
    // Made on first use (issue 17's memory per connection): the scoreboard on the first SACK block,
    // let go once SND.UNA passes every SACKed range; the persist timer the first time the peer's
    // window stalls us. The retransmission timer is RtoEstimator's, held only while armed.
    /** The SACK scoreboard, or null while nothing above SND.UNA is SACKed. */
    private SackScoreboard sacked;
    /** The persist timer, or null until the peer's window first stalled us. */
    private PersistTimer persistTimer;

    private NewReno cc;

    private int iss;
    private int mss;

    private long una;
    private long nxt;
    private long max;
    private long writeEnd = 1;
    private final SendWindow window = new SendWindow();

    private long retransmitNext;
    /** RTO expiries in a row ({@code icsk_retransmits}); at most {@code tcp_retries2} (255) + 1. */
    private short consecutiveTimeouts;
    /** {@link #SACK_OK}, {@link #FIN_QUEUED}, {@link #HANDSHAKE_RETRANSMITTED}. */
    private byte flags;

    TcpSender(TcpSocket socket, TcpConfig config, int iss) {
        this.socket = socket;
        this.iss = iss;
        this.rto = new RtoEstimator(config);
        this.mss = config.mss();
        this.cc = new NewReno(mss, config.initialCwndSegments());
    }

    private TcpConfig config() {
        return socket.stack().config();
    }

    private boolean has(byte flag) {
        return (flags & flag) != 0;
    }

    private boolean finQueued() {
        return has(FIN_QUEUED);
    }

    private PersistTimer persistTimer() {
        if (persistTimer == null) {
            persistTimer = new PersistTimer(socket.simulation(), config(), rto, this::probeZeroWindow);
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
                retransmit(start, SegmentAction.RETRANSMIT_RECOVERY);
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
            retransmit(una, SegmentAction.RETRANSMIT_FAST);
        } else if (wasInRecovery && has(SACK_OK)) {
            // A hole below the highest SACKed byte is lost for sure; resend it with this ACK's credit.
            long hole = SackScoreboard.nextHole(sacked, Math.max(una, retransmitNext));
            if (hole >= 0) {
                cc.spend(retransmit(hole, SegmentAction.RETRANSMIT_RECOVERY));
            }
        }
    }

    /** Resends one segment at {@code offset}; returns its data length. */
    private int retransmit(long offset, SegmentAction reason) {
        int len = (int) Math.min(
                Math.min(mss, writeEnd - offset),
                Math.min(SackScoreboard.nextSackedStart(sacked, offset), max) - offset);
        len = Math.max(0, len);
        boolean fin = finQueued() && offset + len == writeEnd && max > writeEnd;
        int flags = TcpFlags.ACK | (fin ? TcpFlags.FIN : 0) | (offset + len == writeEnd ? TcpFlags.PSH : 0);
        if (len == 0 && !fin) {
            return 0;
        }
        socket.emit(seq(offset), len, flags, reason);
        socket.count(TcpCounter.RETRANSMITTED_SEGMENTS, 1);
        long end = offset + len + (fin ? 1 : 0);
        retransmitNext = Math.max(retransmitNext, end);
        rto.retransmitted(offset, end);
        return len;
    }

    // ---- transmission ----

    /** Sends what the windows allow (Linux {@code tcp_write_xmit}); then manages the persist timer. */
    void output() {
        if (!canSend()) {
            return;
        }
        while (true) {
            if (nxt < max) {
                nxt = SackScoreboard.skipSacked(sacked, nxt);
            }
            boolean resend = nxt < max;
            long avail = Math.min(writeEnd, resend ? max : writeEnd) - nxt;
            boolean finHere = finQueued() && nxt == writeEnd && (resend || max <= writeEnd);
            long cwndRoom = Math.min(cc.cwnd(), config().sendBufferPayloadLimit()) - (nxt - una);
            if ((avail <= 0 && !finHere) || cwndRoom <= 0) {
                break;
            }
            long len = 0;
            if (avail > 0) {
                long wndRoom = una + window.bytes() - nxt;
                len = Math.min(Math.min(mss, avail), Math.min(cwndRoom, wndRoom));
                if (resend) {
                    len = Math.min(len, SackScoreboard.nextSackedStart(sacked, nxt) - nxt);
                }
                boolean silly = len < mss && len < avail && len < window.max() / 2;
                if (len <= 0 || (silly && !resend)) {
                    break;
                }
            }
            boolean fin = finQueued() && nxt + len == writeEnd;
            int flags = TcpFlags.ACK | (fin ? TcpFlags.FIN : 0) | (len > 0 && nxt + len == writeEnd ? TcpFlags.PSH : 0);
            SegmentAction reason =
                    resend ? SegmentAction.RETRANSMIT_TIMEOUT : len > 0 ? SegmentAction.DATA : SegmentAction.FIN;
            socket.emit(seq(nxt), (int) len, flags, reason);
            long end = nxt + len + (fin ? 1 : 0);
            if (resend) {
                socket.count(TcpCounter.RETRANSMITTED_SEGMENTS, 1);
            } else {
                socket.count(TcpCounter.BYTES_SENT, len);
                rto.startTiming(nxt, socket.simulation().now());
            }
            nxt = end;
            max = Math.max(max, end);
            if (!rto.timerArmed()) {
                rto.armTimer(socket.simulation(), this);
            }
        }
        boolean stalled = una == max && sendPending();
        if (stalled || persistTimer != null) {
            persistTimer().update(stalled);
        }
    }

    private boolean canSend() {
        return switch (socket.state()) {
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> true;
            case CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, FIN_WAIT_2, TIME_WAIT -> false;
        };
    }

    private boolean sendPending() {
        return writeEnd > nxt || (finQueued() && max <= writeEnd);
    }

    /** Linux {@code tcp_write_wakeup}: send what a sliver of window allows, else probe with SND.UNA - 1. */
    private void probeZeroWindow() {
        if (!canSend() || una != max || !sendPending()) {
            return;
        }
        long wndRoom = una + window.bytes() - nxt;
        socket.count(TcpCounter.ZERO_WINDOW_PROBES_SENT, 1);
        if (wndRoom > 0 && writeEnd > nxt) {
            long len = Math.min(Math.min(mss, wndRoom), writeEnd - nxt);
            socket.emit(seq(nxt), (int) len, TcpFlags.ACK | TcpFlags.PSH, SegmentAction.ZERO_WINDOW_PROBE);
            socket.count(TcpCounter.BYTES_SENT, len);
            nxt += len;
            max = Math.max(max, nxt);
            rto.armTimer(socket.simulation(), this);
        } else {
            socket.emit(seq(una) - 1, 0, TcpFlags.ACK, SegmentAction.ZERO_WINDOW_PROBE);
        }
        persistTimer().probed();
        if (una != max) {
            persistTimer.cancel();
        }
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
