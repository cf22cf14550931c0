package io.kpsim.tcp;

import io.kpsim.engine.Durations;
import io.kpsim.engine.Timer;
import io.kpsim.packet.SackBlock;
import io.kpsim.packet.Seq;
import java.util.List;

/**
 * The receive half of a connection: RCV.NXT, the advertised window, when to acknowledge, and the
 * application reading the buffer at its configured rate.
 *
 * <p>The window is the free payload space, with receiver-side silly-window avoidance
 * (RFC 9293 §3.8.6.2.2, Linux {@code __tcp_select_window}: below half the buffer and below one
 * MSS it is advertised as zero), rounded to the window-scale granularity, and never shrunk: the
 * right edge once advertised is kept ({@code tcp_select_window}). After the application reads,
 * a window update is sent when the window at least doubled, as Linux's {@code __tcp_cleanup_rbuf}
 * does. Autotuning ({@link ReceiveSpace}) follows {@code tcp_rcv_space_adjust}: once per receiver
 * RTT (measured as the time to receive one window, {@code tcp_rcv_rtt_measure}) the buffer grows to
 * hold twice what the application read in that RTT plus 16 MSS, up to {@code tcp_rmem[2]}.
 *
 * <p>RCV.NXT and the advertised right edge are 32-bit sequence numbers, as {@code rcv_nxt} and
 * {@code rcv_wup + rcv_wnd} are in the kernel's {@code struct tcp_sock}, compared modulo 2^32
 * ({@link Seq}); the bytes the application read in all are 64-bit, kept once, in the socket's
 * {@link TcpCounter#BYTES_DELIVERED} (the kernel's {@code bytes_received} is a {@code u64} too).
 *
 * <p>The byte accounting (RCV.NXT, the unread bytes, the FIN, the out-of-order ranges and the
 * D-SACK to report) is {@link ReceiveBuffer}'s, kept here as fields that its functions read and
 * write, the way the kernel keeps it in {@code struct tcp_sock}: a connection then pays no object
 * header or reference for it (issue 17's memory per connection; {@code src/docs/benchmarks.md}
 * section 4, session 10).
 */
final class TcpReceiver {

    /** {@link TcpSocket#setReadRate} value: the application reads everything as soon as it arrives. */
    static final long READ_INSTANTLY = Long.MAX_VALUE;
    /** SACK blocks one ACK carries at most (RFC 2018 §3: four without timestamps, which kpsim sends). */
    private static final int MAX_SACK_BLOCKS = 4;

    private final TcpSocket socket;
    // Made on first use: a reader without a rate limit never needs its pacer (the rate and the read
    // timer), and a connection that never delays an ACK never needs the timer; an idle one holds neither.
    private ReadPacer pacer;
    private Timer delayedAckTimer;

    private int irs;
    /** The right edge of the window we advertised (a sequence number, never moved left). */
    private int advertisedRight;
    /** The receive buffer's payload capacity, at most 1 GiB ({@link TcpConfig}). */
    private int capacity;

    /**
     * Segments received since our last ACK, counted up to 2: only "two or more" matters (an ACK
     * for every second full segment, RFC 9293 §3.8.6.3), so a byte that saturates keeps it.
     */
    private byte unackedSegments;

    private byte shift;
    private boolean ackNow;
    private boolean peerClosedReported;
    /** Autotuning's measurements, made when the first data or FIN arrives. */
    private ReceiveSpace space;

    // The byte accounting, ReceiveBuffer's (Linux rcv_nxt, out_of_order_queue, duplicate_sack).
    /** RCV.NXT. */
    int rcvNxt = 1;
    /** In-order bytes not read yet; at most the receive buffer (1 GiB, {@link TcpConfig}). */
    int queued;
    /** The FIN's sequence number, valid once {@link #finSeen}. */
    int finSeq;

    boolean finSeen;
    /** Whether the FIN has been reached in order (RCV.NXT counted it). */
    boolean finConsumed;
    /** Whether the last in-order arrival also merged out-of-order data (a hole was filled). */
    boolean filledHole;

    boolean dsackPending;
    /** The ranges held beyond RCV.NXT, or null while there are none. */
    OutOfOrderQueue outOfOrder;

    int dsackStart;
    int dsackEnd;

    TcpReceiver(TcpSocket socket, TcpConfig config) {
        this.socket = socket;
        this.capacity = (int) TcpConfig.payloadCapacity(config.rcvBufBytes());
        this.advertisedRight = rcvNxt;
    }

    private TcpConfig config() {
        return socket.stack().config();
    }

    private Timer readTimer() {
        if (pacer.timer == null) {
            pacer.timer = socket.simulation().timer(this::readTick);
        }
        return pacer.timer;
    }

    private Timer delayedAckTimer() {
        if (delayedAckTimer == null) {
            delayedAckTimer = socket.simulation().timer(() -> socket.sendAck(SegmentAction.ACK));
        }
        return delayedAckTimer;
    }

    private static void cancel(Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    /**
     * The peer's SYN arrived with sequence {@code seq}: RCV.NXT = IRS + 1. Until now the receiver
     * counted from an ISN of 0 (our SYN may already have advertised a window); its positions move
     * onto the peer's sequence space.
     */
    void synReceived(int seq) {
        ReceiveBuffer.rebase(this, seq, irs);
        advertisedRight += seq - irs;
        irs = seq;
    }

    /** Window scaling is in force with our shift (RFC 7323 §2.2: only if both sides sent it). */
    void scaleWindow(int ourShift) {
        shift = (byte) ourShift;
    }

    int irs() {
        return irs;
    }

    /** RCV.NXT. */
    int rcvNxt() {
        return rcvNxt;
    }

    /** RCV.WND: what remains of the window we advertised (RFC 9293 §3.3.1). */
    long rcvWnd() {
        return Math.max(0, advertisedRight - rcvNxt);
    }

    long queued() {
        return queued;
    }

    /** Bytes the application has read, in all (64-bit: a stream may outgrow the sequence space). */
    long delivered() {
        return socket.counter(TcpCounter.BYTES_DELIVERED);
    }

    long capacity() {
        return capacity;
    }

    boolean finConsumed() {
        return finConsumed;
    }

    /** The highest SACKed sequence (for RFC 5961's RST check), or RCV.NXT when none. */
    int highestSackedSeq() {
        return ReceiveBuffer.highestSackedEnd(this);
    }

    /** Accepts the segment's data {@code [seq, seq+len)} (and FIN), trimmed to the window. */
    ReceiveBuffer.Arrival receive(int seq, int len, boolean fin) {
        int start = seq;
        int end = start + len;
        int right = Seq.max(advertisedRight, rcvNxt);
        if (Seq.after(end, right)) {
            end = Seq.max(start, right);
            fin = false;
        }
        if (end == start && !fin && Seq.afterOrEqual(start, rcvNxt)) {
            ackNow = true;
            return ReceiveBuffer.Arrival.OUTSIDE_WINDOW;
        }
        ReceiveBuffer.Arrival arrival = ReceiveBuffer.accept(this, start, end, fin);
        if (unackedSegments < 2) {
            unackedSegments++;
        }
        boolean fullSegments = unackedSegments >= 2;
        TcpConfig config = config();
        if (config.delayedAckNanos() == 0
                || arrival != ReceiveBuffer.Arrival.IN_ORDER
                || filledHole
                || finConsumed
                || fullSegments) {
            ackNow = true;
        } else if (!delayedAckTimer().isArmed()) {
            delayedAckTimer.arm(config.delayedAckNanos());
        }
        measureRtt();
        return arrival;
    }

    /** Old data {@code [seq, seq+len)} arrived again: report it in a D-SACK (RFC 2883) and ACK now. */
    void duplicate(int seq, int len) {
        int end = seq + len;
        ReceiveBuffer.reportDuplicate(this, seq, Seq.before(end, rcvNxt) ? end : rcvNxt);
        ackNow = true;
    }

    /** Asks for an immediate ACK (duplicate segment, window probe, FIN...). */
    void ackNow() {
        ackNow = true;
    }

    boolean ackPending() {
        return ackNow;
    }

    /** Any segment carrying our ACK went out: nothing is owed now. */
    void ackSent() {
        ackNow = false;
        unackedSegments = 0;
        cancel(delayedAckTimer);
    }

    /** The 16-bit window field for the next segment, recording the right edge it advertises. */
    int windowField(boolean syn) {
        if (syn) {
            int mss = config().mss();
            int initial = Math.min(capacity / mss * mss, 0xffff);
            advertisedRight = Seq.max(advertisedRight, rcvNxt + initial);
            return initial;
        }
        long window = selectWindow();
        int raw = (int) Math.min(window >> shift, 0xffff);
        advertisedRight = Seq.max(advertisedRight, rcvNxt + (raw << shift));
        return raw;
    }

    private long selectWindow() {
        long free = Math.max(0, (long) capacity - queued - ReceiveBuffer.outOfOrderBytes(this));
        long window;
        if (free < capacity / 2 && free < config().mss()) {
            window = 0;
        } else {
            window = (free >> shift) << shift;
        }
        // Never move the right edge left (RFC 9293 §3.8.6.2.2). A scaled field can only express
        // multiples of 2^shift, so the kept edge is rounded down; RFC 7323 §2.4 lets that apparent
        // shrink of under one unit happen, and segments up to the old edge are still accepted.
        long kept = (long) (advertisedRight - rcvNxt) >> shift << shift;
        window = Math.max(window, kept);
        return Math.min(window, 0xffffL << shift);
    }

    /** SACK blocks for an outgoing ACK (RFC 2018), empty when there is nothing to report. */
    List<SackBlock> sackBlocks() {
        if (!ReceiveBuffer.hasSackInfo(this)) {
            return List.of();
        }
        // made per ACK, as the blocks are: a field for it cost every idle connection 8 bytes (issue 17)
        int[] sackScratch = new int[2 * MAX_SACK_BLOCKS];
        int n = ReceiveBuffer.sackBlocks(this, sackScratch, MAX_SACK_BLOCKS);
        SackBlock[] blocks = new SackBlock[n];
        for (int i = 0; i < n; i++) {
            blocks[i] = new SackBlock(sackScratch[2 * i], sackScratch[2 * i + 1]);
        }
        return List.of(blocks); // immutable already, so TcpOptions keeps it without a copy
    }

    /** Sets how fast the application reads: bytes per second, 0 to stop, or READ_INSTANTLY. */
    void setReadRate(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("read rate " + bytesPerSecond + " B/s is negative");
        }
        if (pacer == null && bytesPerSecond != READ_INSTANTLY) {
            pacer = new ReadPacer(bytesPerSecond);
        } else if (pacer != null) {
            pacer.rate = bytesPerSecond;
            cancel(pacer.timer);
        }
        deliver();
    }

    long readRate() {
        return pacer == null ? READ_INSTANTLY : pacer.rate;
    }

    /** Lets the application read what the buffer holds, at its rate. */
    void deliver() {
        if (socket.state() == TcpState.CLOSED) {
            return;
        }
        if (queued > 0) {
            long rate = readRate();
            if (rate == READ_INSTANTLY) {
                read(queued);
            } else if (rate > 0 && !readTimer().isArmed()) {
                long chunk = Math.min(queued, config().mss());
                pacer.timer.arm(Math.max(1, Durations.transmissionNanos(chunk, rate)));
            }
        }
        if (finConsumed && queued == 0 && !peerClosedReported) {
            peerClosedReported = true;
            socket.peerClosed();
        }
    }

    private void readTick() {
        long rate = readRate();
        if (rate == 0 || rate == READ_INSTANTLY || socket.state() == TcpState.CLOSED) {
            return;
        }
        read(config().mss());
        deliver();
        socket.reportCloseIfDrained();
    }

    private void read(long max) {
        long windowBefore = rcvWnd();
        int n = ReceiveBuffer.read(this, max);
        if (n == 0) {
            return;
        }
        socket.count(TcpCounter.BYTES_DELIVERED, n);
        adjustSpace();
        long clamp = capacity;
        if (!socket.state().receivesData()) {
            socket.dataRead(n);
            return;
        }
        if (2 * windowBefore <= clamp) {
            long next = selectWindow();
            if (next > 0 && next >= 2 * windowBefore && !ackNow) {
                socket.sendAck(SegmentAction.WINDOW_UPDATE);
            }
        }
        socket.dataRead(n);
    }

    private void measureRtt() {
        if (space == null) {
            space = new ReceiveSpace(capacity);
        }
        space.measureRtt(rcvNxt, rcvWnd(), config().mss(), socket.simulation().now());
    }

    private void adjustSpace() {
        TcpConfig config = config();
        long maxCapacity = TcpConfig.payloadCapacity(config.rcvBufMaxBytes());
        if (space != null) {
            capacity = (int) space.adjust(
                    capacity,
                    maxCapacity,
                    delivered(),
                    config.mss(),
                    socket.simulation().now());
        }
    }

    /** Stops the reader and the delayed-ACK timer (connection over). */
    void stop() {
        if (pacer != null) {
            cancel(pacer.timer);
        }
        cancel(delayedAckTimer);
    }
}
