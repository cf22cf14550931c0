package io.kpsim.report;

import io.kpsim.packet.TcpSegment;
import java.util.Optional;

/**
 * Puts numbers on a failed window check: which of {@code tcp_in_window()}'s four bounds the
 * kernel named, and by how many bytes the segment missed it, measured against what the two
 * endpoints last put on the wire (the receiver's ACK and window, the sender's highest sequence).
 * Conntrack's own {@code td_end}/{@code td_maxend}/{@code td_maxwin} are built from exactly these
 * fields, so the endpoint numbers are the kernel's bounds as the packets showed them.
 */
final class WindowWords {

    private WindowWords() {}

    /**
     * One line explaining {@code reason} for {@code segment}, or empty when the reason names no
     * window bound or the endpoints' numbers are unknown.
     *
     * @param receiverName the receiving pod, for the sentence
     * @param receiver the view of the endpoint the segment was sent to
     * @param sender the view of the endpoint that sent it (may be {@code null})
     */
    static Optional<String> explain(
            String reason,
            TcpSegment segment,
            String receiverName,
            EndpointViews.View receiver,
            EndpointViews.View sender) {
        if (receiver == null || reason == null) {
            return Optional.empty();
        }
        long seq = Integer.toUnsignedLong(segment.seq());
        long end = Integer.toUnsignedLong(segment.end());
        long ack = Integer.toUnsignedLong(segment.ack());
        String window = receiverName + " last acknowledged " + receiver.ack + " (its RCV.NXT) and advertised "
                + receiver.windowBytes + " bytes of window"
                + (receiver.windowBytes != receiver.windowField
                        ? " (field " + receiver.windowField + " << wscale " + receiver.scale + ")"
                        : "");
        if (reason.startsWith("SEQ is over")) {
            long windowEnd = (receiver.ack + receiver.windowBytes) & 0xffffffffL;
            return Optional.of(window + ", so that window ended at " + windowEnd + " (conntrack's td_maxend keeps"
                    + " the highest such end); this segment starts at " + seq + ", " + distance(seq, windowEnd)
                    + " bytes beyond it");
        }
        if (reason.startsWith("SEQ is under")) {
            String sent = sender == null ? "" : "; the sender had already sent up to " + sender.sndNxt;
            return Optional.of(window + "; this segment's data " + seq + ":" + end + " ends "
                    + distance(receiver.ack, end) + " bytes before that: already-ACKed data, retransmitted" + sent);
        }
        if (reason.startsWith("ACK is over")) {
            return Optional.of("it acknowledges " + ack + ", " + distance(ack, receiver.sndNxt)
                    + " bytes beyond anything " + receiverName + " has sent (its SND.NXT is " + receiver.sndNxt + ")");
        }
        if (reason.startsWith("ACK is under") || reason.startsWith("ignored ACK under")) {
            return Optional.of("it acknowledges " + ack + ", " + distance(receiver.sndNxt, ack) + " bytes below what "
                    + receiverName + " has sent (its SND.NXT is " + receiver.sndNxt + ")");
        }
        return Optional.empty();
    }

    /** {@code a - b} in 32-bit sequence space, as a non-negative distance. */
    static long distance(long a, long b) {
        return (a - b) & 0xffffffffL;
    }
}
