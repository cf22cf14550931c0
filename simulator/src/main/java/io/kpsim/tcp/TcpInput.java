package io.kpsim.tcp;

import io.kpsim.packet.Packet;
import io.kpsim.packet.Seq;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpSegment;

/**
 * "SEGMENT ARRIVES" for a connection (RFC 9293 §3.10.7.3-4), with RFC 5961's hardening:
 * the sequence check, RST processing (reset only at exactly RCV.NXT, challenge ACK when merely
 * in the window, silent drop outside), SYN in a synchronized state (challenge ACK), the ACK
 * field, the data, then the FIN. TIME_WAIT follows Linux's {@code tcp_timewait_state_process}.
 *
 * <p>Each arriving segment is reported to the observer exactly once, with the decision taken,
 * before any segment sent in response.
 */
final class TcpInput {

    private TcpInput() {}

    /**
     * Processes {@code seg} on {@code socket}. Returns true when the segment must instead go to
     * the listener (a new SYN ended a TIME_WAIT connection).
     */
    static boolean segmentArrives(TcpSocket socket, Packet packet, TcpSegment seg) {
        boolean toListener = false;
        switch (socket.state()) {
            case SYN_SENT -> synSent(socket, packet, seg);
            case TIME_WAIT -> toListener = timeWait(socket, packet, seg);
            case SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK ->
                synchronizedOrSynReceived(socket, packet, seg);
            case CLOSED, LISTEN -> throw new IllegalStateException("segment for a socket in " + socket.state());
        }
        socket.afterInput();
        return toListener;
    }

    private static void report(TcpSocket socket, Packet packet, SegmentAction action) {
        socket.stack().observer().segmentReceived(socket.stack(), socket, packet, action);
    }

    /** RFC 9293 §3.10.7.3. */
    private static void synSent(TcpSocket s, Packet packet, TcpSegment seg) {
        TcpSender snd = s.sender();
        boolean ack = seg.has(TcpFlags.ACK);
        boolean rst = seg.has(TcpFlags.RST);
        if (ack) {
            long ackOffset = snd.ackOffset(seg.ack());
            if (ackOffset <= 0 || ackOffset > 1) {
                if (rst) {
                    report(s, packet, SegmentAction.RST_BAD_ACK_DROPPED);
                } else {
                    report(s, packet, SegmentAction.BAD_ACK_RST_SENT);
                    s.stack().sendReset(s, packet, seg, SegmentAction.RST_BAD_ACK);
                }
                return;
            }
        }
        if (rst) {
            if (ack) {
                report(s, packet, SegmentAction.RST_ACCEPTED_SYN_SENT);
                s.count(TcpCounter.RESETS_ACCEPTED, 1);
                s.reset();
            } else {
                report(s, packet, SegmentAction.RST_BAD_ACK_DROPPED);
            }
            return;
        }
        if (!seg.has(TcpFlags.SYN)) {
            report(s, packet, SegmentAction.DROPPED_NO_ACK);
            return;
        }
        s.receiver().synReceived(seg.seq());
        s.negotiate(seg.options());
        if (ack) {
            report(s, packet, SegmentAction.SYN_ACK_ESTABLISHED);
            snd.synAcked();
            snd.initialWindow(seg.seq(), 1, seg.window());
            s.established();
            s.receiver().ackNow();
        } else {
            report(s, packet, SegmentAction.SIMULTANEOUS_OPEN);
            snd.initialWindow(seg.seq(), 0, seg.window());
            s.setState(TcpState.SYN_RECEIVED);
            snd.sendSyn(true, SegmentAction.SYN_ACK, false);
        }
    }

    /** RFC 9293 §3.10.7.4 for SYN_RECEIVED and the synchronized states except TIME_WAIT. */
    private static void synchronizedOrSynReceived(TcpSocket s, Packet packet, TcpSegment seg) {
        TcpReceiver r = s.receiver();
        TcpSender snd = s.sender();
        // A retransmitted SYN during a passive open gets the SYN-ACK again (Linux tcp_check_req).
        if (s.state() == TcpState.SYN_RECEIVED
                && seg.has(TcpFlags.SYN)
                && !seg.has(TcpFlags.ACK)
                && !seg.has(TcpFlags.RST)
                && seg.seq() == r.irs()) {
            report(s, packet, SegmentAction.SYN_RETRANSMITTED);
            snd.sendSyn(true, SegmentAction.SYN_ACK, true);
            return;
        }
        // The peer's SYN-ACK in a simultaneous open completes it (Linux tcp_validate_incoming "pass").
        boolean simultaneousSynAck = s.state() == TcpState.SYN_RECEIVED
                && s.listener() == null
                && seg.has(TcpFlags.SYN)
                && seg.has(TcpFlags.ACK)
                && !seg.has(TcpFlags.RST)
                && seg.seq() + 1 == r.rcvNxt()
                && seg.ack() == snd.sndNxt();
        // First: is the sequence number acceptable?
        if (!simultaneousSynAck && !acceptable(r, seg)) {
            if (seg.has(TcpFlags.RST)) {
                if (afterPeerFin(s.state()) && seg.seq() == r.rcvNxt() - 1) {
                    acceptReset(s, packet, SegmentAction.RST_ACCEPTED_AFTER_FIN);
                } else {
                    report(s, packet, SegmentAction.RST_OUT_OF_WINDOW);
                }
            } else if (seg.has(TcpFlags.SYN)) {
                // RFC 5961 §4.2: a SYN gets a challenge ACK "irrespective of the sequence number"
                // (Linux tcp_validate_incoming: syn_challenge).
                report(s, packet, SegmentAction.SYN_CHALLENGED);
                s.sendChallengeAck();
            } else if (seg.payloadLength() > 0 && Seq.before(seg.seq(), r.rcvNxt())) {
                // Old data: a retransmission we already have. Linux tcp_send_dupack D-SACKs it.
                report(s, packet, SegmentAction.DATA_DUPLICATE);
                s.count(TcpCounter.DUPLICATE_SEGMENTS_RECEIVED, 1);
                r.duplicate(seg.seq(), seg.payloadLength());
            } else {
                report(s, packet, SegmentAction.UNACCEPTABLE_SEQ);
                r.ackNow();
            }
            return;
        }
        // Second: RST (RFC 5961 §3.2). Linux also accepts the highest SACKed sequence.
        if (seg.has(TcpFlags.RST)) {
            if (seg.seq() == r.rcvNxt()) {
                acceptReset(s, packet, SegmentAction.RST_ACCEPTED);
            } else if (snd.sackOk() && seg.seq() == r.highestSackedSeq()) {
                acceptReset(s, packet, SegmentAction.RST_ACCEPTED_SACK_EDGE);
            } else {
                report(s, packet, SegmentAction.RST_CHALLENGED);
                s.sendChallengeAck();
            }
            return;
        }
        // Fourth: SYN (RFC 5961 §4).
        if (seg.has(TcpFlags.SYN) && !simultaneousSynAck) {
            report(s, packet, SegmentAction.SYN_CHALLENGED);
            s.sendChallengeAck();
            return;
        }
        // Fifth: the ACK field.
        if (!seg.has(TcpFlags.ACK)) {
            report(s, packet, SegmentAction.DROPPED_NO_ACK);
            return;
        }
        boolean establishing = s.state() == TcpState.SYN_RECEIVED;
        if (establishing) {
            long ackOffset = snd.ackOffset(seg.ack());
            if (ackOffset < 1 || ackOffset > 1) {
                report(s, packet, SegmentAction.BAD_ACK_RST_SENT);
                s.stack().sendReset(s, packet, seg, SegmentAction.RST_BAD_ACK);
                return;
            }
            snd.synAcked();
        }
        AckKind kind = snd.classify(seg);
        if (kind == AckKind.UNSENT) {
            report(s, packet, SegmentAction.ACK_UNSENT_DATA);
            r.ackNow();
            return;
        }
        if (kind == AckKind.TOO_OLD) {
            report(s, packet, SegmentAction.ACK_TOO_OLD);
            s.sendChallengeAck();
            return;
        }
        report(s, packet, establishing ? SegmentAction.ACK_ESTABLISHED : describe(s, seg, kind));
        if (establishing) {
            s.established();
        }
        SenderAck.onAck(snd, seg, kind);
        if (s.state() == TcpState.CLOSED || s.state() == TcpState.TIME_WAIT) {
            return;
        }
        // Seventh and eighth: data and FIN.
        boolean fin = seg.has(TcpFlags.FIN);
        if (seg.payloadLength() == 0 && !fin) {
            return;
        }
        if (!s.state().receivesData()) {
            r.ackNow();
            return;
        }
        ReceiveBuffer.Arrival arrival = r.receive(seg.seq(), seg.payloadLength(), fin);
        switch (arrival) {
            case OUT_OF_ORDER -> s.count(TcpCounter.OUT_OF_ORDER_SEGMENTS, 1);
            case DUPLICATE -> s.count(TcpCounter.DUPLICATE_SEGMENTS_RECEIVED, 1);
            case IN_ORDER, OUTSIDE_WINDOW -> {}
        }
        if (r.finConsumed()) {
            s.teardown().peerFin();
        }
    }

    private static void acceptReset(TcpSocket s, Packet packet, SegmentAction action) {
        report(s, packet, action);
        s.count(TcpCounter.RESETS_ACCEPTED, 1);
        if (s.state() == TcpState.SYN_RECEIVED && s.listener() != null) {
            s.dropEmbryonic();
        } else {
            s.reset();
        }
    }

    private static boolean afterPeerFin(TcpState state) {
        return switch (state) {
            case CLOSE_WAIT, LAST_ACK, CLOSING -> true;
            case CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT -> false;
        };
    }

    private static SegmentAction describe(TcpSocket s, TcpSegment seg, AckKind kind) {
        if (seg.payloadLength() > 0 && s.state().receivesData()) {
            int next = s.receiver().rcvNxt();
            if (Seq.beforeOrEqual(seg.seq() + seg.payloadLength(), next)) {
                return SegmentAction.DATA_DUPLICATE;
            }
            return Seq.after(seg.seq(), next) ? SegmentAction.DATA_OUT_OF_ORDER : SegmentAction.DATA_IN_ORDER;
        }
        if (seg.has(TcpFlags.FIN)) {
            return SegmentAction.FIN_RECEIVED;
        }
        return switch (kind) {
            case NEW -> SegmentAction.ACK_NEW;
            case DUPLICATE -> SegmentAction.ACK_DUPLICATE;
            case OTHER, UNSENT, TOO_OLD -> SegmentAction.ACK_OTHER;
        };
    }

    /** The four cases of RFC 9293 §3.10.7.4's acceptability table. */
    static boolean acceptable(TcpReceiver r, TcpSegment seg) {
        long window = r.rcvWnd();
        long first = seg.seq() - r.rcvNxt();
        int segLen = seg.end() - seg.seq();
        if (segLen == 0) {
            return window == 0 ? first == 0 : first >= 0 && first < window;
        }
        if (window == 0) {
            return false;
        }
        long last = first + segLen - 1;
        return (first >= 0 && first < window) || (last >= 0 && last < window);
    }

    /** TIME_WAIT, as Linux's {@code tcp_timewait_state_process} with {@code tcp_rfc1337} = 0. */
    private static boolean timeWait(TcpSocket s, Packet packet, TcpSegment seg) {
        TcpReceiver r = s.receiver();
        if (seg.has(TcpFlags.RST)) {
            if (seg.seq() == r.rcvNxt()) {
                report(s, packet, SegmentAction.RST_ACCEPTED);
                s.count(TcpCounter.RESETS_ACCEPTED, 1);
                s.finish(null);
            } else {
                report(s, packet, SegmentAction.RST_OUT_OF_WINDOW);
            }
            return false;
        }
        if (seg.has(TcpFlags.SYN)
                && !seg.has(TcpFlags.ACK)
                && Seq.after(seg.seq(), r.rcvNxt())
                && s.stack().listening(s.localPort())) {
            report(s, packet, SegmentAction.TIME_WAIT_REUSED);
            s.finish(null);
            return true;
        }
        boolean bareAckInWindow =
                seg.seq() == r.rcvNxt() && seg.end() == seg.seq() && seg.has(TcpFlags.ACK) && !seg.has(TcpFlags.SYN);
        if (bareAckInWindow) {
            report(s, packet, SegmentAction.ACK_OTHER);
            return false;
        }
        report(s, packet, SegmentAction.TIME_WAIT_ACK);
        if (seg.has(TcpFlags.FIN)) {
            s.teardown().restartTimeWait();
        }
        s.sendAck(SegmentAction.ACK);
        return false;
    }
}
