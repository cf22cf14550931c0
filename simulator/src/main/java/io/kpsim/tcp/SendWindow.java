package io.kpsim.tcp;

import io.kpsim.packet.Seq;

/**
 * The window the peer offers us: SND.WND with SND.WL1 and SND.WL2, the segment sequence and
 * acknowledgement that last set it, so that an older segment cannot shrink it again (RFC 9293
 * §3.10.7.4, "If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be updated"), scaled by the
 * peer's shift (RFC 7323 §2.3), and the largest window seen (Linux's {@code max_window}, which
 * bounds acceptable old ACKs and the silly-window test).
 */
final class SendWindow {

    /** SND.WND, scaled: at most 65535 << 14, under 2^30 (RFC 7323 §2.3). */
    private int bytes;
    /** The largest SND.WND seen (Linux's {@code max_window}). */
    private int max;

    private int wl1;
    /**
     * SND.WL2: the low 32 bits of the stream offset, compared modulo 2^32 as the sequence number it
     * stands for (acceptable ACKs lie within a window of SND.UNA, far under 2^31 apart).
     */
    private int wl2;

    private byte shift;

    /** The peer's window scale, from its SYN (RFC 7323 §2.2); 0 without the option. */
    void scale(int peerShift) {
        this.shift = (byte) peerShift;
    }

    /** The peer's SYN (or the ACK completing a passive open) carried this unscaled window. */
    void initial(int segSeq, long ackOffset, int window) {
        set(window, segSeq, ackOffset);
    }

    /**
     * An acceptable ACK at stream offset {@code ackOffset} arrived in a segment with sequence
     * {@code segSeq} and window field {@code window}: the window follows it unless it is older than
     * the one that last set it.
     */
    void offer(int segSeq, long ackOffset, int window) {
        if (Seq.before(wl1, segSeq) || (wl1 == segSeq && Seq.beforeOrEqual(wl2, (int) ackOffset))) {
            set((long) window << shift, segSeq, ackOffset);
        }
    }

    private void set(long windowBytes, int segSeq, long ackOffset) {
        bytes = (int) windowBytes;
        max = Math.max(max, bytes);
        wl1 = segSeq;
        wl2 = (int) ackOffset;
    }

    /** SND.WND in bytes (scaled). */
    long bytes() {
        return bytes;
    }

    /** The largest window the peer has offered. */
    long max() {
        return max;
    }

    /** Whether a window field, scaled, equals SND.WND (a duplicate ACK must not change it, RFC 5681 §2). */
    boolean unchangedBy(int window) {
        return ((long) window << shift) == bytes;
    }
}
