package io.kpsim.tcp;

import io.kpsim.engine.Timer;

/**
 * The closing half of one connection's state machine (RFC 9293 §3.6 and §3.10.7.4, steps five and
 * eight): which state each FIN moves it to, and TIME_WAIT's 2*MSL timer (Linux's
 * {@code tcp_time_wait()}), after which the socket is gone. The application learns of a close in
 * TIME_WAIT only once it has read everything before the peer's FIN.
 */
final class TcpTeardown {

    private final TcpSocket socket;
    private Timer timeWaitTimer;
    private boolean peerFinProcessed;
    private boolean timeWaitReportPending;

    TcpTeardown(TcpSocket socket) {
        this.socket = socket;
    }

    /** Our FIN was acknowledged (RFC 9293 §3.10.7.4, fifth step, per state). */
    void finAcked() {
        switch (socket.state()) {
            case FIN_WAIT_1 -> socket.setState(TcpState.FIN_WAIT_2);
            case CLOSING -> enterTimeWait();
            case LAST_ACK -> socket.finish(CloseReason.FIN);
            case CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_2, CLOSE_WAIT, TIME_WAIT -> {}
        }
    }

    /** The peer's FIN was reached in sequence (RFC 9293 §3.10.7.4, eighth step). */
    void peerFin() {
        if (peerFinProcessed) {
            return;
        }
        peerFinProcessed = true;
        switch (socket.state()) {
            case SYN_RECEIVED, ESTABLISHED -> socket.setState(TcpState.CLOSE_WAIT);
            case FIN_WAIT_1 -> socket.setState(TcpState.CLOSING);
            case FIN_WAIT_2 -> enterTimeWait();
            case CLOSED, LISTEN, SYN_SENT, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT -> {}
        }
    }

    /** Restarts the 2*MSL timer (a retransmitted FIN arrived in TIME_WAIT). */
    void restartTimeWait() {
        timeWaitTimer.arm(socket.stack().config().timeWaitNanos());
    }

    private void enterTimeWait() {
        socket.setState(TcpState.TIME_WAIT);
        socket.sender().stop();
        timeWaitTimer = socket.simulation().timer(() -> socket.finish(null));
        timeWaitTimer.arm(socket.stack().config().timeWaitNanos());
        timeWaitReportPending = true;
    }

    /** In TIME_WAIT the application learns of the close once it has read everything before the FIN. */
    void reportCloseIfDrained() {
        if (timeWaitReportPending && socket.receiver().queued() == 0) {
            timeWaitReportPending = false;
            socket.handler().onClosed(socket, CloseReason.FIN);
        }
    }

    /** The connection ended: TIME_WAIT's timer, if armed, goes. */
    void stop() {
        if (timeWaitTimer != null) {
            timeWaitTimer.cancel();
        }
    }
}
