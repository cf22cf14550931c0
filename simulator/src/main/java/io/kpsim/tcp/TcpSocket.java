package io.kpsim.tcp;

import io.kpsim.engine.Simulation;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;

/**
 * One TCP connection endpoint (a Linux {@code struct tcp_sock}): the application's handle and
 * the state machine of RFC 9293 §3.3.2.
 *
 * <p>The application writes byte counts, reads at a rate ({@link #setReadRate}), and closes or
 * aborts; it learns what happened through its {@link SocketHandler}. The send and receive halves
 * live in {@link TcpSender} and {@link TcpReceiver}, the FIN states and TIME_WAIT in
 * {@link TcpTeardown}; segment arrival is {@link TcpInput}'s job.
 */
public final class TcpSocket extends SocketCounts {

    /** {@link #setReadRate} value: the application reads data as soon as it arrives. */
    public static final long READ_INSTANTLY = TcpReceiver.READ_INSTANTLY;

    private static final TcpState[] STATES = TcpState.values();

    private final TcpStack stack;
    private final int remoteIp;
    // Ports are 16-bit (RFC 9293 §3.1), as the kernel's inet_sport/inet_dport: Java's only unsigned
    // 16-bit type keeps them at 2 bytes each (issue 17's memory per connection).
    private final char localPort;
    private final char remotePort;
    private final TcpListener listener;
    private final TcpSender sender;
    private final TcpReceiver receiver;
    /** Made when the first FIN is sent or reached: an open connection has no closing state to keep. */
    private TcpTeardown teardown;

    private SocketHandler handler;
    /** The state's ordinal in {@link #STATES}: a byte beside the flags instead of a reference. */
    private byte state;

    private boolean windowScaling;
    private boolean establishedPending;
    private boolean allAckedPending;

    TcpSocket(
            TcpStack stack,
            int localPort,
            int remoteIp,
            int remotePort,
            int iss,
            SocketHandler handler,
            TcpListener listener) {
        this.stack = stack;
        this.localPort = (char) localPort;
        this.remoteIp = remoteIp;
        this.remotePort = (char) remotePort;
        this.handler = handler;
        this.state = (byte) TcpState.CLOSED.ordinal();
        this.listener = listener;
        this.sender = new TcpSender(this, stack.config(), iss);
        this.receiver = new TcpReceiver(this, stack.config());
    }

    // ---- public API ----

    /** This host's address. */
    public int localIp() {
        return stack.localIp();
    }

    /** Our port. */
    public int localPort() {
        return localPort;
    }

    /** The peer's address. */
    public int remoteIp() {
        return remoteIp;
    }

    /** The peer's port. */
    public int remotePort() {
        return remotePort;
    }

    /** The current state. */
    public TcpState state() {
        return STATES[state];
    }

    /** Replaces the application handler. */
    public void setHandler(SocketHandler newHandler) {
        if (newHandler == null) {
            throw new IllegalArgumentException("socket handler is null on " + this);
        }
        handler = newHandler;
    }

    /**
     * Queues {@code bytes} bytes for sending (send buffer unbounded: write never blocks).
     *
     * @throws IllegalArgumentException if {@code bytes} is negative
     * @throws IllegalStateException if the socket can no longer send (after close, or closed)
     */
    public void write(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("write of " + bytes + " bytes on " + this);
        }
        if (!state().acceptsWrites()) {
            throw new IllegalStateException("cannot write on " + this + ": state " + state());
        }
        sender.write(bytes);
    }

    /**
     * Sets how fast the application reads: bytes per second, {@link #READ_INSTANTLY}, or 0 to stop
     * reading (the window then fills and closes).
     */
    public void setReadRate(long bytesPerSecond) {
        receiver.setReadRate(bytesPerSecond);
    }

    /**
     * Orderly close (RFC 9293 §3.10.4): FIN after the queued data. With unread received data it
     * resets the connection instead, as Linux's {@code tcp_close} does (RFC 2525 §2.17).
     */
    public void close() {
        switch (state()) {
            case SYN_SENT -> finish(null);
            case SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT -> {
                if (receiver.queued() > 0) {
                    resetAndFinish(SegmentAction.RST_UNREAD_DATA, CloseReason.ABORTED);
                    return;
                }
                setState(state() == TcpState.CLOSE_WAIT ? TcpState.LAST_ACK : TcpState.FIN_WAIT_1);
                sender.queueFin();
            }
            case CLOSED, LISTEN, FIN_WAIT_1, FIN_WAIT_2, CLOSING, LAST_ACK, TIME_WAIT -> {}
        }
    }

    /** Abortive close (RFC 9293 §3.10.5): RST <SEQ=SND.NXT> when synchronized, then CLOSED. */
    public void abort() {
        switch (state()) {
            case SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT ->
                resetAndFinish(SegmentAction.RST_ABORT, CloseReason.ABORTED);
            case SYN_SENT, CLOSING, LAST_ACK, TIME_WAIT -> finish(CloseReason.ABORTED);
            case CLOSED, LISTEN -> {}
        }
    }

    /** Bytes of ours the peer acknowledged. */
    public long bytesAcked() {
        return sender.bytesAcked();
    }

    /** Bytes the application has read. */
    public long bytesDelivered() {
        return receiver.delivered();
    }

    /** Bytes received in order and not yet read. */
    public long bytesToRead() {
        return receiver.queued();
    }

    /** SND.UNA. */
    public int sndUna() {
        return sender.sndUna();
    }

    /** SND.NXT. */
    public int sndNxt() {
        return sender.sndNxt();
    }

    /** RCV.NXT (meaningful once the peer's SYN arrived). */
    public int rcvNxt() {
        return receiver.rcvNxt();
    }

    /** Our initial sequence number. */
    public int iss() {
        return sender.iss();
    }

    /** A snapshot of the connection's internals (Linux {@code tcp_info}). */
    public TcpInfo info() {
        return TcpInfo.of(this);
    }

    @Override
    public String toString() {
        return Ip4.format(localIp(), localPort) + " -> " + Ip4.format(remoteIp, remotePort) + " " + state();
    }

    // ---- package-private machinery ----

    Simulation simulation() {
        return stack.simulation();
    }

    TcpStack stack() {
        return stack;
    }

    TcpSender sender() {
        return sender;
    }

    TcpReceiver receiver() {
        return receiver;
    }

    TcpListener listener() {
        return listener;
    }

    /** The FIN states and TIME_WAIT. */
    TcpTeardown teardown() {
        if (teardown == null) {
            teardown = new TcpTeardown(this);
        }
        return teardown;
    }

    /** The application's handler (null for an accepted socket before its accept handler ran). */
    SocketHandler handler() {
        return handler;
    }

    boolean windowScaling() {
        return windowScaling;
    }

    long key() {
        return TcpStack.key(remoteIp, remotePort, localPort);
    }

    void count(TcpCounter counter, long amount) {
        countOnSocket(counter, amount);
        stack.counters().add(counter, amount);
    }

    void setState(TcpState to) {
        TcpState from = state();
        state = (byte) to.ordinal();
        stack.observer().stateChanged(this, from, to);
    }

    /** Applies the peer's SYN options (RFC 9293 §3.7.1, RFC 7323 §2.2, RFC 2018 §2). */
    void negotiate(TcpOptions peer) {
        int peerMss = peer.hasMss() ? peer.mss() : TcpConfig.DEFAULT_PEER_MSS;
        TcpConfig config = stack.config();
        windowScaling = config.windowScale() >= 0 && peer.hasWindowScale();
        int peerShift = windowScaling ? Math.min(peer.windowScale(), TcpConfig.MAX_WINDOW_SCALE) : 0;
        receiver.scaleWindow(windowScaling ? config.windowScale() : 0);
        sender.negotiated(Math.min(config.mss(), peerMss), peerShift, config.sack() && peer.sackPermitted());
    }

    /** Builds a segment from the connection's state and sends it ({@link SegmentWriter}). */
    void emit(int seq, int len, int flags, SegmentAction reason) {
        stack.transmit(this, SegmentWriter.build(this, seq, len, flags), reason);
    }

    /** Sends a pure ACK now. */
    void sendAck(SegmentAction reason) {
        if (reason == SegmentAction.WINDOW_UPDATE) {
            count(TcpCounter.WINDOW_UPDATES_SENT, 1);
        }
        emit(sender.sndNxt(), 0, TcpFlags.ACK, reason);
    }

    /** A challenge ACK (RFC 5961 §3.2, §4, §5.2): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. */
    void sendChallengeAck() {
        count(TcpCounter.CHALLENGE_ACKS_SENT, 1);
        emit(sender.sndNxt(), 0, TcpFlags.ACK, SegmentAction.CHALLENGE_ACK);
    }

    /** The handshake completed. */
    void established() {
        setState(TcpState.ESTABLISHED);
        count(TcpCounter.CONNECTIONS_ESTABLISHED, 1);
        if (listener != null) {
            handler = listener.acceptHandler().accepted(this);
            if (handler == null) {
                throw new IllegalStateException("accept handler of port " + localPort() + " returned null");
            }
        }
        establishedPending = true;
    }

    void allAcked() {
        allAckedPending = true;
    }

    /** An acceptable RST arrived: the connection is reset. */
    void reset() {
        finish(CloseReason.RESET);
    }

    /** A RST reset a passive open still in SYN_RECEIVED: it goes silently (RFC 9293 §3.10.7.4). */
    void dropEmbryonic() {
        finish(null);
    }

    /** An ICMP error ended the connection attempt ({@code tcp_done_with_error()} in SYN_SENT). */
    void unreachable() {
        finish(CloseReason.UNREACHABLE);
    }

    void timedOut() {
        finish(CloseReason.TIMEOUT);
    }

    private void resetAndFinish(SegmentAction reason, CloseReason closeReason) {
        emit(sender.sndNxt(), 0, TcpFlags.RST | TcpFlags.ACK, reason);
        finish(closeReason);
    }

    /** Ends the connection: CLOSED, timers stopped, removed from the stack; tells the app if set. */
    void finish(CloseReason reason) {
        boolean wasTimeWait = state() == TcpState.TIME_WAIT;
        setState(TcpState.CLOSED);
        sender.stop();
        receiver.stop();
        if (teardown != null) {
            teardown.stop();
        }
        stack.remove(this);
        if (reason != null && !wasTimeWait && (listener == null || handler != null)) {
            handler.onClosed(this, reason);
        }
    }

    /** TIME_WAIT's close report, once the application has read everything ({@link TcpTeardown}). */
    void reportCloseIfDrained() {
        if (teardown != null) {
            teardown.reportCloseIfDrained();
        }
    }

    /** The application read {@code bytes}. */
    void dataRead(int bytes) {
        handler.onData(this, bytes);
    }

    void peerClosed() {
        handler.onPeerClosed(this);
    }

    /** After a segment was processed: callbacks, then whatever can be sent, then the owed ACK. */
    void afterInput() {
        if (state() == TcpState.CLOSED) {
            return;
        }
        if (establishedPending) {
            establishedPending = false;
            handler.onEstablished(this);
        }
        if (allAckedPending && state() != TcpState.CLOSED) {
            allAckedPending = false;
            handler.onAllAcked(this);
        }
        if (state() == TcpState.CLOSED) {
            return;
        }
        sender.output();
        if (receiver.ackPending() && state() != TcpState.CLOSED) {
            sendAck(SegmentAction.ACK);
        }
        if (state() != TcpState.CLOSED) {
            receiver.deliver();
            reportCloseIfDrained();
        }
    }
}
