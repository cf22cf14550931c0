package io.kpsim.conntrack;

import io.kpsim.packet.Packet;
import io.kpsim.packet.SackBlock;
import io.kpsim.packet.Seq;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.util.List;

/**
 * The IP and TCP header fields conntrack reads from one segment, as primitives in a reusable
 * holder so that the allocation-free path ({@link Conntrack#inTcp}) takes no packet record: what
 * {@code skb_header_pointer()} gives the kernel's {@code nf_conntrack_in()},
 * {@code tcp_in_window()}, {@code tcp_options()} and {@code tcp_sack()}.
 *
 * <p>Each field has its own named setter, so a caller cannot pass the acknowledgement number as
 * the sequence number by position:
 *
 * <pre>{@code
 * fields.srcIp(client).dstIp(server).srcPort(40000).dstPort(80)
 *       .seq(seq).ack(ack).flags(TcpFlags.ACK).window(502).payloadLength(0)
 *       .options(TcpHeaderFields.optionBits(TcpOptions.NONE));
 * int packed = conntrack.inTcp(fields, true, now);
 * }</pre>
 *
 * <p>Every field but {@link #sackEdge} must be set again for each segment: {@link Conntrack#inTcp}
 * refuses a holder with a field left over from the previous segment, which would otherwise be
 * tracked silently as this segment's. Without {@link #sackEdge} the SACK edge is the ACK number.
 * Not thread-safe; one holder per caller.
 */
public final class TcpHeaderFields {

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

    private static final String[] FIELD_NAMES = {
        "srcIp", "dstIp", "srcPort", "dstPort", "seq", "ack", "flags", "window", "payloadLength", "options"
    };
    /** One bit per field of {@link #FIELD_NAMES}, set by its setter. */
    private static final int ALL_SET = (1 << FIELD_NAMES.length) - 1;

    private static final int SRC_IP = 1;
    private static final int DST_IP = 1 << 1;
    private static final int SRC_PORT = 1 << 2;
    private static final int DST_PORT = 1 << 3;
    private static final int SEQ = 1 << 4;
    private static final int ACK = 1 << 5;
    private static final int FLAGS = 1 << 6;
    private static final int WINDOW = 1 << 7;
    private static final int PAYLOAD_LENGTH = 1 << 8;
    private static final int OPTIONS = 1 << 9;
    /** Not required: {@link #sack} defaults to {@link #ack}. */
    private static final int SACK = 1 << 10;

    int srcIp;
    int dstIp;
    int srcPort;
    int dstPort;
    int seq;
    int ack;
    /** The highest SACK right edge after {@code ack} ({@code tcp_sack()}), else {@code ack}. */
    int sack;

    int flags;
    /** The raw 16-bit window field, unscaled. */
    int window;

    int payloadLength;
    /** {@link #optionBits} of the segment's options. */
    int options;

    private int assigned;

    /** An empty holder. */
    public TcpHeaderFields() {}

    /** The IPv4 source address. */
    public TcpHeaderFields srcIp(int address) {
        srcIp = address;
        assigned |= SRC_IP;
        return this;
    }

    /** The IPv4 destination address. */
    public TcpHeaderFields dstIp(int address) {
        dstIp = address;
        assigned |= DST_IP;
        return this;
    }

    /** The source port, 0..65535. */
    public TcpHeaderFields srcPort(int port) {
        srcPort = checkPort(port, "source port");
        assigned |= SRC_PORT;
        return this;
    }

    /** The destination port, 0..65535. */
    public TcpHeaderFields dstPort(int port) {
        dstPort = checkPort(port, "destination port");
        assigned |= DST_PORT;
        return this;
    }

    /** The sequence number. */
    public TcpHeaderFields seq(int sequence) {
        seq = sequence;
        assigned |= SEQ;
        return this;
    }

    /** The acknowledgement number. */
    public TcpHeaderFields ack(int acknowledgement) {
        ack = acknowledgement;
        assigned |= ACK;
        return this;
    }

    /** The SACK right edge furthest after the ACK number ({@code tcp_sack()}); optional. */
    public TcpHeaderFields sackEdge(int edge) {
        sack = edge;
        assigned |= SACK;
        return this;
    }

    /** The {@link TcpFlags} bits, 0..255. */
    public TcpHeaderFields flags(int tcpFlags) {
        if ((tcpFlags & ~0xff) != 0) {
            throw new IllegalArgumentException("TCP flags 0x" + Integer.toHexString(tcpFlags) + " are not in 0..0xff");
        }
        flags = tcpFlags;
        assigned |= FLAGS;
        return this;
    }

    /** The raw 16-bit window field, unscaled (0..65535). */
    public TcpHeaderFields window(int raw) {
        if ((raw & ~0xffff) != 0) {
            throw new IllegalArgumentException("TCP window " + raw + " is not in 0..65535");
        }
        window = raw;
        assigned |= WINDOW;
        return this;
    }

    /** Bytes of data. */
    public TcpHeaderFields payloadLength(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative TCP payload length " + bytes);
        }
        payloadLength = bytes;
        assigned |= PAYLOAD_LENGTH;
        return this;
    }

    /** The options as {@link #optionBits} packs them. */
    public TcpHeaderFields options(int optionBits) {
        options = optionBits;
        assigned |= OPTIONS;
        return this;
    }

    /** Packs the options conntrack reads from a SYN ({@code tcp_options()}): window scale, SACK-permitted, presence. */
    public static int optionBits(TcpOptions o) {
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

    /** Fills every field from a parsed TCP packet. */
    void set(Packet packet, TcpSegment s) {
        srcIp = packet.srcIp();
        dstIp = packet.dstIp();
        srcPort = s.srcPort();
        dstPort = s.dstPort();
        seq = s.seq();
        ack = s.ack();
        sack = highestSackEdge(s.ack(), s.options());
        flags = s.flags();
        window = s.window();
        payloadLength = s.payloadLength();
        options = optionBits(s.options());
        assigned = ALL_SET | SACK;
    }

    /**
     * Takes the fields for one segment: all must have been set since the last take (else
     * {@link IllegalStateException}, naming them); the SACK edge defaults to the ACK number.
     */
    void take() {
        int set = assigned;
        if ((set & ALL_SET) != ALL_SET) {
            throw new IllegalStateException("TcpHeaderFields: " + missing(set) + " not set for this segment");
        }
        if ((set & SACK) == 0) {
            sack = ack;
        }
        assigned = 0;
    }

    /** {@code segment_seq_plus_len()}: SYN and FIN count one each. */
    int end() {
        return seq + payloadLength + (has(TcpFlags.SYN) ? 1 : 0) + (has(TcpFlags.FIN) ? 1 : 0);
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
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

    private static int checkPort(int port, String what) {
        if ((port & ~0xffff) != 0) {
            throw new IllegalArgumentException(what + " " + port + " is not in 0..65535");
        }
        return port;
    }

    private static String missing(int set) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < FIELD_NAMES.length; i++) {
            if ((set & (1 << i)) == 0) {
                s.append(s.length() == 0 ? "" : ", ").append(FIELD_NAMES[i]);
            }
        }
        return s.toString();
    }
}
