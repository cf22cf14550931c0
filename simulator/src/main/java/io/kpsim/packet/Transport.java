package io.kpsim.packet;

/**
 * The layer-4 part of an IPv4 packet. Sealed so that every {@code switch} over it is exhaustive.
 */
public sealed interface Transport permits TcpSegment, UdpDatagram, IcmpMessage, OtherTransport {

    /** The protocol this header belongs to. */
    Protocol protocol();

    /** Bytes of layer-4 payload after the header. */
    int payloadLength();

    /** Bytes of the layer-4 header, including options. */
    int headerLength();
}
