package io.kpsim.tcp;

import io.kpsim.packet.Seq;

/**
 * The window the peer offers us: SND.WND with SND.WL1 and SND.WL2, the segment sequence and
 * acknowledgement that last set it, so that an older segment cannot shrink it again (RFC 9293
 * §3.10.7.4, "If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be updated"), scaled by the
 * peer's shift (RFC 7323 §2.3), and the largest window seen (Linux's {@code max_window}, which
 * bounds acceptable old ACKs and the silly-window test).
 *
 * <p>Functions over {@link TcpSender}'s fields {@code sndWnd}, {@code maxSndWnd}, {@code sndWl1},
 * {@code sndWl2} and {@code sndWndShift}: the state is the sender's, as in the kernel's
 * {@code struct tcp_sock} ({@code snd_wnd}, {@code max_window}, {@code snd_wl1}), so that a connection
 * does not pay an object header and a reference for it (issue 17's memory per connection).
 * SND.WND is at most 65,535 << 14, under 2^30, so it fits an {@code int}. SND.WL2 is the low 32 bits
 * of the stream offset, compared modulo 2^32 as the sequence number it stands for (acceptable ACKs
 * lie within a window of SND.UNA, far under 2^31 apart).
 */
final class SendWindow {

    private SendWindow() {}

    /** The peer's window scale, from its SYN (RFC 7323 §2.2); 0 without the option. */
    static void scale(TcpSender s, int peerShift) {
        s.sndWndShift = (byte) peerShift;
    }

    /** The peer's SYN (or the ACK completing a passive open) carried this unscaled window. */
    static void initial(TcpSender s, int segSeq, long ackOffset, int window) {
        set(s, window, segSeq, ackOffset);
    }

    /**
     * An acceptable ACK at stream offset {@code ackOffset} arrived in a segment with sequence
     * {@code segSeq} and window field {@code window}: the window follows it unless it is older than
     * the one that last set it.
     */
    static void offer(TcpSender s, int segSeq, long ackOffset, int window) {
        int wl1 = s.sndWl1;
        if (Seq.before(wl1, segSeq) || (wl1 == segSeq && Seq.beforeOrEqual(s.sndWl2, (int) ackOffset))) {
            set(s, (long) window << s.sndWndShift, segSeq, ackOffset);
        }
    }

    private static void set(TcpSender s, long windowBytes, int segSeq, long ackOffset) {
        s.sndWnd = (int) windowBytes;
        s.maxSndWnd = Math.max(s.maxSndWnd, s.sndWnd);
        s.sndWl1 = segSeq;
        s.sndWl2 = (int) ackOffset;
    }

    /** Whether a window field, scaled, equals SND.WND (a duplicate ACK must not change it, RFC 5681 §2). */
    static boolean unchangedBy(TcpSender s, int window) {
        return ((long) window << s.sndWndShift) == s.sndWnd;
    }
}
