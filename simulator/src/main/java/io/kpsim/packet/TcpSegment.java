package io.kpsim.packet;

/**
 * A TCP header (RFC 9293 §3.1) and the length of the data it carries.
 *
 * <p>Payload bytes are not kept: conntrack and the endpoint model only need the length
 * ({@code segment_seq_plus_len}), and a multi-GiB download should not allocate its data.
 * Encoders write a deterministic filler.
 *
 * @param srcPort source port, 0..65535
 * @param dstPort destination port, 0..65535
 * @param seq sequence number (serial arithmetic, see {@link Seq})
 * @param ack acknowledgement number
 * @param flags {@link TcpFlags} bits
 * @param window the raw 16-bit window field, unscaled
 * @param urgentPointer the urgent pointer field
 * @param options parsed options
 * @param payloadLength bytes of data
 */
public record TcpSegment(
        int srcPort,
        int dstPort,
        int seq,
        int ack,
        int flags,
        int window,
        int urgentPointer,
        TcpOptions options,
        int payloadLength)
        implements Transport {

    /** The minimal TCP header length. */
    public static final int MIN_HEADER = 20;

    /** Validates field ranges. */
    public TcpSegment {
        Uint16.check(srcPort, "source port");
        Uint16.check(dstPort, "destination port");
        if (window < 0 || window > 0xffff) {
            throw new IllegalArgumentException("TCP window " + window + " is not in 0..65535");
        }
        if (payloadLength < 0) {
            throw new IllegalArgumentException("negative payload length " + payloadLength);
        }
    }

    @Override
    public Protocol protocol() {
        return Protocol.TCP;
    }

    @Override
    public int headerLength() {
        return MIN_HEADER + options.encodedLength();
    }

    /** Whether all bits of {@code flag} are set. */
    public boolean has(int flag) {
        return TcpFlags.has(flags, flag);
    }

    /**
     * {@code seq + len}, counting SYN and FIN as one each: the kernel's
     * {@code segment_seq_plus_len()}.
     */
    public int end() {
        return seq + payloadLength + (has(TcpFlags.SYN) ? 1 : 0) + (has(TcpFlags.FIN) ? 1 : 0);
    }

    /** This segment with other ports (NAT). */
    public TcpSegment withPorts(int newSrcPort, int newDstPort) {
        return new TcpSegment(newSrcPort, newDstPort, seq, ack, flags, window, urgentPointer, options, payloadLength);
    }
}
