package io.kpsim.tcp;

import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpSegment;

/** What an arriving ACK field means to the sender (RFC 9293 §3.10.7.4, fifth step). */
enum AckKind {

    /** It acknowledges new data. */
    NEW,
    /** A duplicate ACK by RFC 5681 §2's definition. */
    DUPLICATE,
    /** Acceptable, but neither new nor a duplicate (window update, old ACK). */
    OTHER,
    /** It acknowledges something never sent. */
    UNSENT,
    /** It is older than SND.UNA - MAX.SND.WND (RFC 5961 §5.2). */
    TOO_OLD;

    /**
     * Classifies {@code seg}'s ACK field, the stream offset {@code ack}, against the sender's
     * SND.UNA, the highest offset sent and the peer's window.
     */
    static AckKind of(TcpSegment seg, long ack, TcpSender sender) {
        long una = sender.una;
        long max = sender.max();
        if (ack > max) {
            return UNSENT;
        }
        if (ack < una - sender.maxSndWnd) {
            return TOO_OLD;
        }
        if (ack > una) {
            return NEW;
        }
        boolean duplicate = ack == una
                && max > una
                && seg.payloadLength() == 0
                && !seg.has(TcpFlags.SYN)
                && !seg.has(TcpFlags.FIN)
                && SendWindow.unchangedBy(sender, seg.window());
        return duplicate ? DUPLICATE : OTHER;
    }
}
