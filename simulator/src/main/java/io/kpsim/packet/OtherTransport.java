package io.kpsim.packet;

/**
 * A layer-4 protocol kpsim does not parse (GRE, SCTP, ...): kept by number and length so it
 * can be forwarded and reported.
 *
 * @param number the IPv4 protocol number
 * @param payloadLength bytes after the IPv4 header
 */
public record OtherTransport(int number, int payloadLength) implements Transport {

    @Override
    public Protocol protocol() {
        return Protocol.OTHER;
    }

    @Override
    public int headerLength() {
        return 0;
    }
}
