package io.kpsim.packet;

/**
 * An ICMP message (RFC 792): an echo request/reply with identifier and sequence, or an error
 * (destination unreachable, time exceeded, ...) quoting the offending packet.
 *
 * <p>For errors, {@code quoted} holds the inner IPv4 header and the first 8 bytes of its layer 4
 * (ports and, for TCP, the sequence number), which is what conntrack's
 * {@code nf_conntrack_icmpv4_error()} looks up and what NAT rewrites for a RELATED packet.
 *
 * @param type ICMP type
 * @param code ICMP code
 * @param identifier echo identifier (0 for errors)
 * @param sequence echo sequence (0 for errors)
 * @param restOfHeader the 4 bytes after the checksum for errors (e.g. next-hop MTU), else 0
 * @param quoted the quoted packet of an error, or {@code null}
 * @param payloadLength bytes after the 8-byte ICMP header that are not part of {@code quoted}
 */
public record IcmpMessage(
        int type, int code, int identifier, int sequence, int restOfHeader, Packet quoted, int payloadLength)
        implements Transport {

    /** Echo reply. */
    public static final int ECHO_REPLY = 0;
    /** Destination unreachable. */
    public static final int DEST_UNREACH = 3;
    /** Source quench (deprecated, still an error type for conntrack). */
    public static final int SOURCE_QUENCH = 4;
    /** Redirect. */
    public static final int REDIRECT = 5;
    /** Echo request. */
    public static final int ECHO_REQUEST = 8;
    /** Time exceeded. */
    public static final int TIME_EXCEEDED = 11;
    /** Parameter problem. */
    public static final int PARAMETER_PROBLEM = 12;
    /** Timestamp request. */
    public static final int TIMESTAMP = 13;
    /** Timestamp reply. */
    public static final int TIMESTAMP_REPLY = 14;
    /** Information request. */
    public static final int INFO_REQUEST = 15;
    /** Information reply. */
    public static final int INFO_REPLY = 16;
    /** Address mask request. */
    public static final int ADDRESS = 17;
    /** Address mask reply. */
    public static final int ADDRESS_REPLY = 18;
    /** The ICMP header length. */
    public static final int HEADER = 8;

    /** Validates ranges. */
    public IcmpMessage {
        if (type < 0 || type > 255 || code < 0 || code > 255) {
            throw new IllegalArgumentException("ICMP type/code " + type + "/" + code + " out of 0..255");
        }
        Uint16.check(identifier, "ICMP identifier");
        Uint16.check(sequence, "ICMP sequence");
        if (payloadLength < 0) {
            throw new IllegalArgumentException("negative payload length " + payloadLength);
        }
    }

    /** An echo request or reply. */
    public static IcmpMessage echo(int type, int identifier, int sequence, int payloadLength) {
        return new IcmpMessage(type, 0, identifier, sequence, 0, null, payloadLength);
    }

    /** An error quoting {@code quoted} (its header plus 8 bytes of layer 4). */
    public static IcmpMessage error(int type, int code, int restOfHeader, Packet quoted) {
        return new IcmpMessage(type, code, 0, 0, restOfHeader, quoted, 0);
    }

    /** Whether the type is one of the error types conntrack relates to a flow ({@code icmp_is_err}). */
    public boolean isError() {
        return switch (type) {
            case DEST_UNREACH, SOURCE_QUENCH, REDIRECT, TIME_EXCEEDED, PARAMETER_PROBLEM -> true;
            default -> false;
        };
    }

    /** Bytes the quoted packet occupies on the wire: its IPv4 header plus 8 bytes. */
    public int quotedLength() {
        return quoted == null ? 0 : Packet.IPV4_HEADER + 8;
    }

    @Override
    public Protocol protocol() {
        return Protocol.ICMP;
    }

    @Override
    public int headerLength() {
        return HEADER;
    }

    /** This message with a rewritten quoted packet (NAT of a RELATED error). */
    public IcmpMessage withQuoted(Packet newQuoted) {
        return new IcmpMessage(type, code, identifier, sequence, restOfHeader, newQuoted, payloadLength);
    }
}
