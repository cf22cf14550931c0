package io.kpsim.conntrack;

import io.kpsim.packet.SackBlock;
import io.kpsim.packet.Seq;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.util.List;

/**
 * The TCP header fields conntrack reads, as primitives in one reusable holder so the tracker's
 * hot path allocates nothing: what {@code skb_header_pointer()} gives the kernel's
 * {@code tcp_in_window()}, {@code tcp_options()} and {@code tcp_sack()}.
 */
final class TcpHeaderFields {

    /** Options are present at all (the kernel's {@code tcp_options()} returns early otherwise). */
    static final int OPT_PRESENT = 1 << 8;
    /** A window-scale option is present; its shift (clamped to 14) is in the low byte. */
    static final int OPT_WSCALE = 1 << 9;
    /** A SACK-permitted option is present. */
    static final int OPT_SACK_PERM = 1 << 10;
    /** The options do not fit the 40 bytes a data offset of 15 allows ("truncated packet"). */
    static final int OPT_TOO_LONG = 1 << 11;
    /** {@code TCP_MAX_WSCALE}. */
    static final int MAX_WSCALE = 14;

    int seq;
    int ack;
    /** The highest SACK right edge after {@code ack} ({@code tcp_sack()}), else {@code ack}. */
    int sack;

    int flags;
    int window;
    int payloadLength;
    int options;

    /** Fills the holder from a parsed segment. */
    void set(TcpSegment s) {
        set(
                s.seq(),
                s.ack(),
                highestSackEdge(s.ack(), s.options()),
                s.flags(),
                s.window(),
                s.payloadLength(),
                optionBits(s.options()));
    }

    /** Fills the holder from primitives (the benchmark entry point). */
    void set(int seq, int ack, int sack, int flags, int window, int payloadLength, int options) {
        this.seq = seq;
        this.ack = ack;
        this.sack = sack;
        this.flags = flags;
        this.window = window;
        this.payloadLength = payloadLength;
        this.options = options;
    }

    /** {@code segment_seq_plus_len()}: SYN and FIN count one each. */
    int end() {
        return seq + payloadLength + (has(TcpFlags.SYN) ? 1 : 0) + (has(TcpFlags.FIN) ? 1 : 0);
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Packs the options conntrack reads from a SYN ({@code tcp_options()}). */
    static int optionBits(TcpOptions o) {
        int bits = o.encodedLength() > 0 ? OPT_PRESENT : 0;
        if (o.encodedLength() > 40) {
            bits |= OPT_TOO_LONG;
        }
        if (o.hasWindowScale()) {
            bits |= OPT_WSCALE | Math.min(o.windowScale(), MAX_WSCALE);
        }
        if (o.sackPermitted()) {
            bits |= OPT_SACK_PERM;
        }
        return bits;
    }

    /** {@code tcp_sack()}: the right edge of the SACK blocks that is furthest after {@code ack}. */
    static int highestSackEdge(int ack, TcpOptions o) {
        List<SackBlock> blocks = o.sackBlocks();
        int sack = ack;
        for (int i = 0; i < blocks.size(); i++) { // no iterator: this runs for every tracked segment
            int right = blocks.get(i).right();
            if (Seq.after(right, sack)) {
                sack = right;
            }
        }
        return sack;
    }
}
