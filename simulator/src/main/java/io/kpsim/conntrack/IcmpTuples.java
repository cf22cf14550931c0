package io.kpsim.conntrack;

import io.kpsim.packet.IcmpMessage;

/** ICMP tuple helpers mirroring {@code icmp_pkt_to_tuple()} and {@code icmp_invert_tuple()}. */
final class IcmpTuples {

    private IcmpTuples() {}

    /** {@code invmap[]}: echo/timestamp/info/mask requests and replies invert to each other. */
    static int invertTypeCode(int typeCode) {
        int type = typeCode >>> 8;
        int code = typeCode & 0xff;
        int inverted = switch (type) {
            case IcmpMessage.ECHO_REQUEST -> IcmpMessage.ECHO_REPLY;
            case IcmpMessage.ECHO_REPLY -> IcmpMessage.ECHO_REQUEST;
            case IcmpMessage.TIMESTAMP -> IcmpMessage.TIMESTAMP_REPLY;
            case IcmpMessage.TIMESTAMP_REPLY -> IcmpMessage.TIMESTAMP;
            case IcmpMessage.INFO_REQUEST -> IcmpMessage.INFO_REPLY;
            case IcmpMessage.INFO_REPLY -> IcmpMessage.INFO_REQUEST;
            case IcmpMessage.ADDRESS -> IcmpMessage.ADDRESS_REPLY;
            case IcmpMessage.ADDRESS_REPLY -> IcmpMessage.ADDRESS;
            default -> -1;
        };
        return inverted < 0 ? typeCode : (inverted << 8) | code;
    }
}
