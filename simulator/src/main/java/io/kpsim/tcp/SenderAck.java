package io.kpsim.tcp;

import io.kpsim.packet.Seq;
import io.kpsim.packet.TcpSegment;

/**
 * What an acceptable ACK does to the send half (the part of Linux's {@code tcp_ack} after
 * {@link AckKind} classified it): the SACK blocks into the scoreboard (RFC 2018 §5, D-SACK per
 * RFC 2883), the peer's window ({@link SendWindow}), and for new data SND.UNA, RTT sampling,
 * NewReno's window and partial-ACK retransmission (RFC 5681, RFC 6582) and the timers; for a
 * duplicate, fast retransmit and the SACK holes of fast recovery. Functions over
 * {@link TcpSender}'s state, kept apart from what goes on the wire ({@link SenderOutput}).
 */
final class SenderAck {

    private SenderAck() {}

    /** Processes an acceptable ACK field of kind NEW, DUPLICATE or OTHER. */
    static void onAck(TcpSender s, TcpSegment seg, AckKind kind) {
        long ack = s.ackOffset(seg.ack());
        readSack(s, seg);
        SendWindow.offer(s, seg.seq(), ack, seg.window());
        switch (kind) {
            case NEW -> newAck(s, ack);
            case DUPLICATE -> duplicateAck(s);
            case OTHER -> NewReno.onOtherAck(s);
            case UNSENT, TOO_OLD -> throw new IllegalStateException("unacceptable ACK " + kind);
        }
    }

    private static void readSack(TcpSender s, TcpSegment seg) {
        if (!s.has(TcpSender.SACK_OK) || seg.options().sackBlocks().isEmpty()) {
            return;
        }
        SackScoreboard board = s.sacked == null ? new SackScoreboard() : s.sacked;
        if (board.record(seg.options().sackBlocks(), seg.ack(), s.seq(s.una), s.una, s.max())) {
            s.socket.count(TcpCounter.DSACKS_RECEIVED, 1);
        }
        s.sacked = SackScoreboard.keptOrNull(board); // a lone D-SACK, or blocks outside [SND.UNA, max): none
    }

    private static void newAck(TcpSender s, long ack) {
        long acked = ack - s.una;
        long flightBefore = s.nxt() - s.una;
        long dataBefore = s.bytesAcked();
        RtoEstimator.acked(s, s.config(), ack, s.socket.simulation().now());
        int ackSeq = s.seq(ack);
        s.una = ack;
        s.sndNxt = Seq.max(s.sndNxt, ackSeq);
        s.retransmitSeq = Seq.max(s.retransmitSeq, ackSeq);
        if (s.sacked != null) {
            s.sacked.discardBelow(s.una);
            s.sacked = SackScoreboard.keptOrNull(s.sacked);
        }
        s.socket.count(TcpCounter.BYTES_ACKED, s.bytesAcked() - dataBefore);
        s.consecutiveTimeouts = 0;
        if (NewReno.onNewAck(s, ack, acked, flightBefore, s.max() - s.una)) {
            long start = Math.max(s.una, s.retransmitNext());
            if (start == s.una || SackScoreboard.nextHole(s.sacked, start) == start) {
                SenderOutput.retransmit(s, start, SegmentAction.RETRANSMIT_RECOVERY);
            }
        }
        if (s.una >= s.max()) {
            RtoEstimator.cancelTimer(s);
        } else {
            RtoEstimator.armTimer(s);
        }
        if (s.finAcked()) {
            s.socket.teardown().finAcked();
        } else if (s.una >= s.writeEnd && s.writeEnd > 1 && dataBefore < s.bytesAcked()) {
            s.socket.allAcked();
        }
    }

    private static void duplicateAck(TcpSender s) {
        boolean wasInRecovery = s.inRecovery;
        if (NewReno.onDuplicateAck(s, s.una, s.max())) {
            s.retransmitNext(s.una);
            s.socket.count(TcpCounter.FAST_RETRANSMITS, 1);
            SenderOutput.retransmit(s, s.una, SegmentAction.RETRANSMIT_FAST);
        } else if (wasInRecovery && s.has(TcpSender.SACK_OK)) {
            // A hole below the highest SACKed byte is lost for sure; resend it with this ACK's credit.
            long hole = SackScoreboard.nextHole(s.sacked, Math.max(s.una, s.retransmitNext()));
            if (hole >= 0) {
                NewReno.spend(s, SenderOutput.retransmit(s, hole, SegmentAction.RETRANSMIT_RECOVERY));
            }
        }
    }
}
