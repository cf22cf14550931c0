package io.kpsim.pcap;

import io.kpsim.packet.Packet;
import io.kpsim.packet.SackBlock;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.util.List;

/**
 * The numbers that decide a TCP packet's capture record, packed into a few {@code long}s: the IPv4
 * fields {@code ip_send_check()} sums, the TCP header's fields, the options as
 * {@code tcp_options_write()} lays them out (which are present, their values, the SACK blocks) and
 * the payload's length. {@link TcpFrameEncoder} frames a record from them alone, so a run can
 * hand a capture's packets to another thread as a stream of numbers instead of the packets
 * themselves: reading a {@link Packet}, its {@link TcpSegment} and {@link TcpOptions} on the other
 * core cost more than the framing saved (src/docs/benchmarks.md, section 8, "Session 12", the
 * encoder thread that was dropped), while these words are read in order, a cache line a record.
 *
 * <p>Layout ({@link #MIN_WORDS} words, then one per SACK block):
 * <pre>
 *  0  flags:8 ttl:8 tos:8 wscale:8 ipId:16 mss:16
 *  1  srcIp:32 dstIp:32
 *  2  srcPort:16 dstPort:16 seq:32
 *  3  ack:32 window:16 urgent:16
 *  4  payloadLength:32 options present:8 SACK blocks:8
 *  5  tsVal:32 tsEcr:32
 *  6+ left:32 right:32, for each SACK block
 * </pre>
 */
public final class TcpHeaderWords {

    /** Words of a segment without SACK blocks. */
    public static final int MIN_WORDS = 6;
    /** Words of a segment with the most SACK blocks {@link TcpOptions} allows (4). */
    public static final int MAX_WORDS = MIN_WORDS + 4;

    static final int HAS_MSS = 1;
    static final int TIMESTAMPS = 2;
    static final int SACK_PERMITTED = 4;
    static final int HAS_WINDOW_SCALE = 8;

    private TcpHeaderWords() {}

    /**
     * Packs TCP packet {@code packet} (whose transport is {@code s}) at {@code to[at]}; returns the
     * words written, {@link #MIN_WORDS} plus one per SACK block.
     *
     * @param to room for {@link #MAX_WORDS} words from {@code at}
     * @throws IllegalArgumentException when the datagram exceeds 65535 bytes or the options 40, as
     *         encoding it would
     */
    public static int put(long[] to, int at, Packet packet, TcpSegment s) {
        TcpOptions o = s.options();
        int optionLength = o.encodedLength();
        int total = Packet.IPV4_HEADER + TcpSegment.MIN_HEADER + optionLength + s.payloadLength();
        if (total > Ipv4Encoder.MAX_DATAGRAM) {
            throw new IllegalArgumentException("packet " + packet.summary() + " is " + total
                    + " bytes, an IPv4 datagram holds at most " + Ipv4Encoder.MAX_DATAGRAM);
        }
        if (optionLength > TcpOptionCodec.MAX_LENGTH) {
            throw TcpOptionCodec.tooLong(o, optionLength);
        }
        List<SackBlock> blocks = o.sackBlocks();
        int n = blocks.size();
        int present = (o.hasMss() ? HAS_MSS : 0)
                | (o.timestamps() ? TIMESTAMPS : 0)
                | (o.sackPermitted() ? SACK_PERMITTED : 0)
                | (o.hasWindowScale() ? HAS_WINDOW_SCALE : 0);
        to[at] = ((long) (s.flags() & 0xff) << 56)
                | ((long) (packet.ttl() & 0xff) << 48)
                | ((long) (packet.tos() & 0xff) << 40)
                | ((long) (o.windowScale() & 0xff) << 32)
                | ((long) (packet.ipId() & 0xffff) << 16)
                | (o.mss() & 0xffff);
        to[at + 1] = pair(packet.srcIp(), packet.dstIp());
        to[at + 2] = pair((s.srcPort() << 16) | s.dstPort(), s.seq());
        to[at + 3] = pair(s.ack(), (s.window() << 16) | (s.urgentPointer() & 0xffff));
        to[at + 4] = ((long) s.payloadLength() << 32) | (present << 8) | n;
        to[at + 5] = pair(o.tsVal(), o.tsEcr());
        for (int i = 0; i < n; i++) {
            SackBlock b = blocks.get(i);
            to[at + MIN_WORDS + i] = pair(b.left(), b.right());
        }
        return MIN_WORDS + n;
    }

    /** The words of the segment packed at {@code w[at]}. */
    public static int words(long[] w, int at) {
        return MIN_WORDS + sackBlocks(w, at);
    }

    /** The IPv4 datagram's length: headers, options and payload. */
    static int totalLength(long[] w, int at) {
        return Packet.IPV4_HEADER + TcpSegment.MIN_HEADER + optionLength(w, at) + payloadLength(w, at);
    }

    /** The options' encoded length, as {@link TcpOptions#encodedLength()} gives it. */
    static int optionLength(long[] w, int at) {
        int present = present(w, at);
        int n = sackBlocks(w, at);
        return ((present & HAS_MSS) != 0 ? 4 : 0)
                + ((present & TIMESTAMPS) != 0 ? 12 : (present & SACK_PERMITTED) != 0 ? 4 : 0)
                + ((present & HAS_WINDOW_SCALE) != 0 ? 4 : 0)
                + (n != 0 ? 4 + 8 * n : 0);
    }

    static int present(long[] w, int at) {
        return (int) (w[at + 4] >>> 8) & 0xff;
    }

    static int sackBlocks(long[] w, int at) {
        return (int) w[at + 4] & 0xff;
    }

    static int payloadLength(long[] w, int at) {
        return (int) (w[at + 4] >>> 32);
    }

    private static long pair(int high, int low) {
        return ((long) high << 32) | (low & 0xffffffffL);
    }
}
