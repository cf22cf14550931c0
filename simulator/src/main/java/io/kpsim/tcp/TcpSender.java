package io.kpsim.tcp;

import io.kpsim.engine.Timer;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpSegment;

/**
 * The send half of a connection: SND.UNA/SND.NXT, the send window, the retransmission and
 * persist timers, NewReno recovery and the SACK scoreboard.
 *
 * <p>Positions are stream offsets from our ISN (offset 0 is the SYN, data starts at 1, the FIN sits
 * at the end of the written data). Two of them are kept as 64-bit offsets: SND.UNA ({@link #una})
 * and the written end ({@link #writeEnd}); kpsim's send buffer is unbounded ({@code write} never
 * blocks), so the written end can run more than 2^32 bytes ahead of SND.UNA, and the kernel's own
 * {@code bytes_acked} is a {@code u64} too. Every other position lies within one flight of SND.UNA
 * (under 2^31: the peer's window is under 2^30, RFC 7323 §2.3), so it is kept as a 32-bit sequence
 * number, as the kernel keeps {@code snd_nxt}, {@code high_seq} and the like in {@code struct
 * tcp_sock}: SND.NXT, the highest sent, the retransmission point, NewReno's {@code recover} and
 * Karn's timed segment. {@link #offset(int)} turns one into its stream offset with the kernel's
 * {@code before()}/{@code after()} arithmetic ({@code (s32)(seq - snd_una)}, RFC 1982), which is exact
 * across the 2^32 wrap (issue 17's memory per connection; {@code src/docs/benchmarks.md} section 4,
 * session 10). {@code max} is the highest offset ever sent (BSD's {@code snd_max}); after an RTO the sender
 * goes back to SND.UNA and resends from there (RFC 5681 §3.1, RFC 6298 §5.4), skipping what the
 * receiver SACKed. RTT is timed on one segment at a time and never on a retransmission (Karn).
 * Zero windows are probed the way Linux does ({@code tcp_probe_timer}/{@code tcp_xmit_probe_skb}):
 * an ACK with sequence SND.UNA - 1 that the receiver must answer, backed off like the RTO.
 *
 * <p>This class holds the state and handles the handshake and timer expiries; what an acceptable ACK
 * does is {@link SenderAck}'s and what goes on the wire {@link SenderOutput}'s, whose functions read
 * and advance these fields. The peer's window, NewReno
 * and the RTO keep their state here too, as primitive fields that {@link SendWindow}, {@link NewReno}
 * and {@link RtoEstimator} read and write, the way the kernel keeps all of it in one
 * {@code struct tcp_sock}: a connection then pays no object header or reference for each of them
 * (issue 17's memory per connection; {@code src/docs/benchmarks.md} section 4, session 9).
 */
final class TcpSender {

    /** {@link #flags} bit: the peer agreed to SACK (RFC 2018 §2). */
    static final byte SACK_OK = 1;
    /** {@link #flags} bit: the application closed, a FIN follows the written data. */
    static final byte FIN_QUEUED = 2;
    /** {@link #flags} bit: our SYN or SYN-ACK was sent again (RFC 6298 §5.7). */
    static final byte HANDSHAKE_RETRANSMITTED = 4;
    /** {@link #flags} bit: a segment is being timed (Karn), the one at {@link #timedSeq}. */
    static final byte TIMING = 8;

    final TcpSocket socket;
    // Made on first use (issue 17's memory per connection): the scoreboard on the first SACK block,
    // let go once SND.UNA passes every SACKed range; the persist timer the first time the peer's
    // window stalls us; the retransmission timer while it is armed.
    /** The SACK scoreboard, or null while nothing above SND.UNA is SACKed. */
    SackScoreboard sacked;
    /** The persist timer, or null until the peer's window first stalled us. */
    PersistTimer persistTimer;

    int iss;
    int mss;

    /** SND.UNA, a 64-bit stream offset. */
    long una;
    /** SND.NXT, a sequence number. */
    int sndNxt;
    /** The highest sequence number sent (BSD's {@code snd_max}). */
    int sndMax;
    /** The end of the written data, a 64-bit stream offset (the FIN's offset once queued). */
    long writeEnd = 1;

    /** The sequence number from which recovery resends (at or above SND.UNA once an ACK moved it). */
    int retransmitSeq;
    /** RTO expiries in a row ({@code icsk_retransmits}); at most {@code tcp_retries2} (255) + 1. */
    short consecutiveTimeouts;
    /** {@link #SACK_OK}, {@link #FIN_QUEUED}, {@link #HANDSHAKE_RETRANSMITTED}. */
    byte flags;

    // The peer's window, SendWindow's (Linux snd_wnd, max_window, snd_wl1; RFC 9293's SND.WL2).
    /** SND.WND, scaled: at most 65535 << 14, under 2^30 (RFC 7323 §2.3). */
    int sndWnd;
    /** The largest SND.WND seen (Linux's {@code max_window}). */
    int maxSndWnd;
    /** SND.WL1: the sequence number of the segment that last set the window. */
    int sndWl1;
    /** SND.WL2: the low 32 bits of the stream offset that segment acknowledged. */
    int sndWl2;
    /** The peer's window scale (RFC 7323 §2.2). */
    byte sndWndShift;

    // Congestion control, NewReno's (Linux snd_cwnd, snd_ssthresh, high_seq).
    long cwnd;
    long ssthresh;
    /** Bytes acknowledged in congestion avoidance since cwnd last grew. */
    long bytesAckedInAvoidance;

    /** Duplicate ACKs in a row, saturating at {@link Short#MAX_VALUE} (only the third one counts). */
    short dupAcks;

    boolean inRecovery;
    /**
     * RFC 6582 {@code recover} (Linux's {@code high_seq}): the highest sequence number sent when the
     * last loss was detected. Outside recovery it is moved up to each new SND.UNA that passes it
     * ({@link NewReno#onNewAck}), which keeps it within 2^31 of SND.UNA and every comparison the same.
     */
    int highSeq;

    // The retransmission timeout, RtoEstimator's (Linux srtt_us, mdev_us, icsk_rto, icsk_backoff).
    /** The retransmission timer while it is armed, else null. */
    Timer rtoTimer;
    /** The smoothed RTT, or -1 before the first sample. */
    long srttNanos;

    long rttvarNanos;
    /** The RTO before backoff. */
    long baseRtoNanos;
    /** Expiries since the last valid sample, at most 30. */
    byte rtoBackoff;
    /** The sequence number of the segment being timed (Karn), while {@link #TIMING} is set. */
    int timedSeq;

    long timedSinceNanos;

    TcpSender(TcpSocket socket, TcpConfig config, int iss) {
        this.socket = socket;
        this.iss = iss;
        this.mss = config.mss();
        this.sndNxt = iss;
        this.sndMax = iss;
        this.retransmitSeq = iss;
        RtoEstimator.init(this, config);
        NewReno.init(this, config.initialCwndSegments());
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
                    new PersistTimer(socket.simulation(), config(), this, () -> SenderOutput.probeZeroWindow(this));
        }
        return persistTimer;
    }

    // ---- wire conversions and accessors ----

    int seq(long offset) {
        return iss + (int) offset;
    }

    /**
     * The stream offset sequence number {@code seq} names: SND.UNA plus {@code (s32)(seq - snd_una)},
     * the kernel's {@code before()}/{@code after()} difference, exact for any {@code seq} within 2^31 of
     * SND.UNA, across the 2^32 wrap too.
     */
    long offset(int seq) {
        return una + (seq - seq(una));
    }

    /** The stream offset an ACK number names, relative to SND.UNA. */
    long ackOffset(int ack) {
        return offset(ack);
    }

    /** SND.NXT as a stream offset. */
    long nxt() {
        return offset(sndNxt);
    }

    void nxt(long offset) {
        sndNxt = seq(offset);
    }

    /** The highest stream offset sent. */
    long max() {
        return offset(sndMax);
    }

    void max(long offset) {
        sndMax = seq(offset);
    }

    /** The stream offset from which recovery resends. */
    long retransmitNext() {
        return offset(retransmitSeq);
    }

    void retransmitNext(long offset) {
        retransmitSeq = seq(offset);
    }

    /** RFC 6582 {@code recover} as a stream offset. */
    long recover() {
        return offset(highSeq);
    }

    void recover(long offset) {
        highSeq = seq(offset);
    }

    int iss() {
        return iss;
    }

    int sndUna() {
        return seq(una);
    }

    int sndNxt() {
        return sndNxt;
    }

    long sndWnd() {
        return sndWnd;
    }

    int mss() {
        return mss;
    }

    boolean sackOk() {
        return has(SACK_OK);
    }

    long cwnd() {
        return cwnd;
    }

    long ssthresh() {
        return ssthresh;
    }

    long srttNanos() {
        return srttNanos;
    }

    long rtoNanos() {
        return RtoEstimator.rtoNanos(this, config());
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
        SendWindow.scale(this, peerShift);
        flags = (byte) (sack ? flags | SACK_OK : flags & ~SACK_OK);
        NewReno.init(this, config().initialCwndSegments());
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
            RtoEstimator.retransmitted(this, 0, 1);
        } else if (max() == 0) {
            nxt(1);
            max(1);
            RtoEstimator.startTiming(this, 0, socket.simulation().now());
        }
        RtoEstimator.armTimer(this);
    }

    /** The peer's SYN (or the ACK completing a passive open) carried this unscaled window. */
    void initialWindow(int segSeq, long ackOffset, int offered) {
        SendWindow.initial(this, segSeq, ackOffset, offered);
    }

    /** Our SYN was acknowledged (active or passive open completes). */
    void synAcked() {
        una = 1;
        if (!RtoEstimator.acked(this, config(), 1, socket.simulation().now()) && has(HANDSHAKE_RETRANSMITTED)) {
            RtoEstimator.handshakeRetransmitted(this, config());
        }
        consecutiveTimeouts = 0;
        RtoEstimator.cancelTimer(this);
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
        return AckKind.of(seg, ackOffset(seg.ack()), this);
    }

    /** Sends what the windows allow ({@link SenderOutput#output}). */
    void output() {
        SenderOutput.output(this);
    }

    /** The retransmission timer expired (RFC 6298 §5.4-5.6; Linux {@code tcp_retransmit_timer}). */
    void retransmitTimerExpired() {
        long max = max();
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
        RtoEstimator.backOff(this);
        RtoEstimator.retransmitted(this, una, max);
        if (handshake) {
            sendSyn(socket.state() == TcpState.SYN_RECEIVED, SegmentAction.RETRANSMIT_TIMEOUT, true);
            return;
        }
        NewReno.onTimeout(this, max - una, max);
        retransmitNext(una);
        nxt(una);
        output();
        RtoEstimator.armTimer(this);
    }

    /** Stops both timers (the connection is over). */
    void stop() {
        RtoEstimator.cancelTimer(this);
        if (persistTimer != null) {
            persistTimer.cancel();
        }
    }
}
