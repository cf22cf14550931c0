package io.kpsim.tcp;

import io.kpsim.packet.TcpFlags;

/**
 * What the send half puts on the wire: new data and the FIN as the windows allow (Linux
 * {@code tcp_write_xmit}), the resending of one segment ({@code tcp_retransmit_skb}) and the
 * zero-window probe ({@code tcp_write_wakeup}). Functions over {@link TcpSender}'s state, kept apart
 * from the ACK processing and timers that decide when they run.
 */
final class SenderOutput {

    private SenderOutput() {}

    /** Sends what the windows allow (Linux {@code tcp_write_xmit}); then manages the persist timer. */
    static void output(TcpSender s) {
        if (!canSend(s)) {
            return;
        }
        TcpSocket socket = s.socket;
        while (true) {
            long nxt = s.nxt();
            long max = s.max();
            if (nxt < max) {
                nxt = SackScoreboard.skipSacked(s.sacked, nxt);
                s.nxt(nxt);
            }
            boolean resend = nxt < max;
            long avail = Math.min(s.writeEnd, resend ? max : s.writeEnd) - nxt;
            boolean finHere = s.finQueued() && nxt == s.writeEnd && (resend || max <= s.writeEnd);
            long cwndRoom = Math.min(s.cwnd, s.config().sendBufferPayloadLimit()) - (nxt - s.una);
            if ((avail <= 0 && !finHere) || cwndRoom <= 0) {
                break;
            }
            long len = 0;
            if (avail > 0) {
                long wndRoom = s.una + s.sndWnd - nxt;
                len = Math.min(Math.min(s.mss, avail), Math.min(cwndRoom, wndRoom));
                if (resend) {
                    len = Math.min(len, SackScoreboard.nextSackedStart(s.sacked, nxt) - nxt);
                }
                boolean silly = len < s.mss && len < avail && len < s.maxSndWnd / 2;
                if (len <= 0 || (silly && !resend)) {
                    break;
                }
            }
            boolean fin = s.finQueued() && nxt + len == s.writeEnd;
            int flags =
                    TcpFlags.ACK | (fin ? TcpFlags.FIN : 0) | (len > 0 && nxt + len == s.writeEnd ? TcpFlags.PSH : 0);
            SegmentAction reason =
                    resend ? SegmentAction.RETRANSMIT_TIMEOUT : len > 0 ? SegmentAction.DATA : SegmentAction.FIN;
            socket.emit(s.sndNxt, (int) len, flags, reason);
            long end = nxt + len + (fin ? 1 : 0);
            if (resend) {
                socket.count(TcpCounter.RETRANSMITTED_SEGMENTS, 1);
            } else {
                socket.count(TcpCounter.BYTES_SENT, len);
                RtoEstimator.startTiming(s, nxt, socket.simulation().now());
            }
            s.nxt(end);
            s.max(Math.max(s.max(), end));
            if (!RtoEstimator.timerArmed(s)) {
                RtoEstimator.armTimer(s);
            }
        }
        boolean stalled = s.una == s.max() && sendPending(s);
        if (stalled || s.persistTimer != null) {
            s.persistTimer().update(stalled);
        }
    }

    /** Resends one segment at {@code offset}; returns its data length. */
    static int retransmit(TcpSender s, long offset, SegmentAction reason) {
        long writeEnd = s.writeEnd;
        long max = s.max();
        int len = (int) Math.min(
                Math.min(s.mss, writeEnd - offset),
                Math.min(SackScoreboard.nextSackedStart(s.sacked, offset), max) - offset);
        len = Math.max(0, len);
        boolean fin = s.finQueued() && offset + len == writeEnd && max > writeEnd;
        int flags = TcpFlags.ACK | (fin ? TcpFlags.FIN : 0) | (offset + len == writeEnd ? TcpFlags.PSH : 0);
        if (len == 0 && !fin) {
            return 0;
        }
        s.socket.emit(s.seq(offset), len, flags, reason);
        s.socket.count(TcpCounter.RETRANSMITTED_SEGMENTS, 1);
        long end = offset + len + (fin ? 1 : 0);
        s.retransmitNext(Math.max(s.retransmitNext(), end));
        RtoEstimator.retransmitted(s, offset, end);
        return len;
    }

    /** Linux {@code tcp_write_wakeup}: send what a sliver of window allows, else probe with SND.UNA - 1. */
    static void probeZeroWindow(TcpSender s) {
        if (!canSend(s) || s.una != s.max() || !sendPending(s)) {
            return;
        }
        TcpSocket socket = s.socket;
        long wndRoom = s.una + s.sndWnd - s.nxt();
        socket.count(TcpCounter.ZERO_WINDOW_PROBES_SENT, 1);
        if (wndRoom > 0 && s.writeEnd > s.nxt()) {
            long len = Math.min(Math.min(s.mss, wndRoom), s.writeEnd - s.nxt());
            socket.emit(s.sndNxt, (int) len, TcpFlags.ACK | TcpFlags.PSH, SegmentAction.ZERO_WINDOW_PROBE);
            socket.count(TcpCounter.BYTES_SENT, len);
            s.nxt(s.nxt() + len);
            s.max(Math.max(s.max(), s.nxt()));
            RtoEstimator.armTimer(s);
        } else {
            socket.emit(s.seq(s.una) - 1, 0, TcpFlags.ACK, SegmentAction.ZERO_WINDOW_PROBE);
        }
        s.persistTimer().probed();
        if (s.una != s.max()) {
            s.persistTimer.cancel();
        }
    }

    private static boolean canSend(TcpSender s) {
        return switch (s.socket.state()) {
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> true;
            case CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, FIN_WAIT_2, TIME_WAIT -> false;
        };
    }

    private static boolean sendPending(TcpSender s) {
        return s.writeEnd > s.nxt() || (s.finQueued() && s.max() <= s.writeEnd);
    }
}
