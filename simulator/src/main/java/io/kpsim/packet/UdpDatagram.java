package io.kpsim.packet;

/**
 * A UDP header (RFC 768) and the length of its payload.
 *
 * @param srcPort source port
 * @param dstPort destination port
 * @param payloadLength bytes after the 8-byte header
 */
public record UdpDatagram(int srcPort, int dstPort, int payloadLength) implements Transport {

    /** The UDP header length. */
    public static final int HEADER = 8;

    /** Validates field ranges. */
    public UdpDatagram {
        Uint16.check(srcPort, "source port");
        Uint16.check(dstPort, "destination port");
        if (payloadLength < 0) {
            throw new IllegalArgumentException("negative payload length " + payloadLength);
        }
    }

    @Override
    public Protocol protocol() {
        return Protocol.UDP;
    }

    @Override
    public int headerLength() {
        return HEADER;
    }

    /** This datagram with other ports (NAT). */
    public UdpDatagram withPorts(int newSrcPort, int newDstPort) {
        return new UdpDatagram(newSrcPort, newDstPort, payloadLength);
    }
}
