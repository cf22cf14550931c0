package io.kpsim.report;

import io.kpsim.packet.TcpSegment;
import java.util.Optional;

/**
 * Puts numbers on a failed window check: which of {@code tcp_in_window()}'s four bounds the
 * kernel named, and by how many bytes the segment missed it, measured against what the two
 * endpoints last put on the wire (the receiver's ACK and window, the sender's highest sequence).
 * Conntrack's own {@code td_end}/{@code td_maxend}/{@code td_maxwin} are built from exactly these
 * fields, so the endpoint numbers are the kernel's bounds as the packets showed them. When the
 * kernel's message prints its bound (6.1+: {@code "SEQ is over upper bound %u"} with
 * {@code td_maxend + 1}, see {@code tcp_in_window()} in {@code nf_conntrack_proto_tcp.c}), the
 * explanation measures against that same number, and says how it relates to the receiver's current
 * window when the two differ ({@code td_maxend} keeps the furthest end ever granted).
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
        return explain(reason, segment, receiverName, receiver, sender, new SeqBases(-1, -1));
    }

    /**
     * As {@link #explain(String, TcpSegment, String, EndpointViews.View, EndpointViews.View)}, with
     * every number relative to {@code bases} (the sender's ISN for its sequence space, the
     * receiver's for acknowledgements); the bound the kernel printed is quoted as printed, with its
     * relative value beside it.
     */
    static Optional<String> explain(
            String reason,
            TcpSegment segment,
            String receiverName,
            EndpointViews.View receiver,
            EndpointViews.View sender,
            SeqBases bases) {
        if (receiver == null || reason == null) {
            return Optional.empty();
        }
        // Arithmetic on the absolute numbers (a distance does not depend on the base); printing through
        // n(value, s0) for the sender's sequence space and n(value, a0) for the receiver's.
        long s0 = bases.seqBase();
        long a0 = bases.ackBase();
        long seq = Integer.toUnsignedLong(segment.seq());
        long end = Integer.toUnsignedLong(segment.end());
        long ack = Integer.toUnsignedLong(segment.ack());
        String window = receiverName + " last acknowledged " + n(receiver.ack, s0) + " (its RCV.NXT) and advertised "
                + receiver.windowBytes + " bytes of window"
                + (receiver.windowBytes != receiver.windowField
                        ? " (field " + receiver.windowField + " << wscale " + receiver.scale + ")"
                        : "");
        long printed = printedBound(reason);
        long windowEnd = (receiver.ack + receiver.windowBytes) & 0xffffffffL;
        if (printed >= 0 && reason.startsWith("SEQ is over")) {
            long maxEnd = (printed - 1) & 0xffffffffL;
            String current = n(windowEnd, s0) + " (" + n(receiver.ack, s0) + " + " + receiver.windowBytes + ")";
            String relation = maxEnd == windowEnd
                    ? "the same end as " + receiverName + "'s current window (" + n(receiver.ack, s0) + " + "
                            + receiver.windowBytes + ")"
                    : (seqAfter(maxEnd, windowEnd)
                            ? distance(maxEnd, windowEnd) + " bytes beyond " + receiverName + "'s current window end "
                                    + current + ": td_maxend never moves back, an earlier ACK granted more"
                            : distance(windowEnd, maxEnd) + " bytes short of " + receiverName + "'s current window end "
                                    + current + ": conntrack has not seen that ACK yet");
            return Optional.of("the kernel's bound " + printed(printed, s0) + " is td_maxend + 1: td_maxend "
                    + n(maxEnd, s0) + " is the furthest ACK + window " + receiverName + " granted, " + relation
                    + "; this segment starts at " + n(seq, s0) + ", " + distance(seq, maxEnd)
                    + " bytes beyond td_maxend");
        }
        if (printed >= 0 && reason.startsWith("SEQ is under")) {
            return Optional.of("the kernel's bound " + printed(printed, s0) + " is the sender's td_end minus "
                    + receiverName + "'s td_maxwin (its largest window), minus 1; this segment's data " + n(seq, s0)
                    + ":" + n(end, s0) + " ends " + distance(printed, end)
                    + " bytes below it: already-ACKed data, retransmitted");
        }
        if (printed >= 0 && reason.startsWith("ACK is over")) {
            return Optional.of("the kernel's bound " + printed(printed, a0) + " is " + receiverName
                    + "'s td_end + 1 (the end of what it sent, " + n(receiver.sndNxt, a0)
                    + " by its SND.NXT); this segment acknowledges " + n(ack, a0) + ", "
                    + distance(ack, (printed - 1) & 0xffffffffL) + " bytes beyond it");
        }
        if (reason.startsWith("SEQ is over")) {
            return Optional.of(window + ", so that window ended at " + n(windowEnd, s0) + " (conntrack's td_maxend"
                    + " keeps the highest such end); this segment starts at " + n(seq, s0) + ", "
                    + distance(seq, windowEnd) + " bytes beyond it");
        }
        if (reason.startsWith("SEQ is under")) {
            String sent = sender == null ? "" : "; the sender had already sent up to " + n(sender.sndNxt, s0);
            return Optional.of(window + "; this segment's data " + n(seq, s0) + ":" + n(end, s0) + " ends "
                    + distance(receiver.ack, end) + " bytes before that: already-ACKed data, retransmitted" + sent);
        }
        if (reason.startsWith("ACK is over")) {
            return Optional.of("it acknowledges " + n(ack, a0) + ", " + distance(ack, receiver.sndNxt)
                    + " bytes beyond anything " + receiverName + " has sent (its SND.NXT is "
                    + n(receiver.sndNxt, a0) + ")");
        }
        if (reason.startsWith("ACK is under") || reason.startsWith("ignored ACK under")) {
            return Optional.of("it acknowledges " + n(ack, a0) + ", " + distance(receiver.sndNxt, ack)
                    + " bytes below what " + receiverName + " has sent (its SND.NXT is " + n(receiver.sndNxt, a0)
                    + ")");
        }
        return Optional.empty();
    }

    /** {@code value} relative to {@code base} (absolute when the base is -1). */
    private static long n(long value, long base) {
        return SeqNumbers.of(value, base);
    }

    /** A bound as the kernel printed it, followed by its relative value when numbers are relative. */
    private static String printed(long bound, long base) {
        return base < 0 ? Long.toString(bound) : bound + " (relative " + SeqNumbers.of(bound, base) + ")";
    }

    /**
     * The bound a 6.1+ kernel prints after {@code "upper bound "} or {@code "lower bound "}, or -1
     * when the words carry none (4.x).
     */
    static long printedBound(String reason) {
        int at = reason.indexOf(" bound ");
        if (at < 0) {
            return -1;
        }
        int from = at + " bound ".length();
        int to = from;
        while (to < reason.length() && to - from <= 10 && Character.isDigit(reason.charAt(to))) {
            to++;
        }
        if (to == from || to - from > 10) {
            return -1;
        }
        long v = Long.parseLong(reason.substring(from, to));
        return v <= 0xffffffffL ? v : -1;
    }

    /** {@code after(a, b)} of the kernel: {@code a} is later than {@code b} in sequence space. */
    static boolean seqAfter(long a, long b) {
        return (int) (a - b) > 0;
    }

    /** {@code a - b} in 32-bit sequence space, as a non-negative distance. */
    static long distance(long a, long b) {
        return (a - b) & 0xffffffffL;
    }
}
