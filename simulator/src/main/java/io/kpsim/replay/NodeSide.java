package io.kpsim.replay;

import io.kpsim.pcap.CaptureRecord;
import io.kpsim.pcap.LinkLayer;
import io.kpsim.pcap.LinkType;

/**
 * Decides which way one captured record went through the node ({@link Heading}), from what the
 * capture says about it, in this order:
 *
 * <ol>
 *   <li>a pcapng Enhanced Packet Block's direction ({@code epb_flags} bits 0-1: inbound or outbound);
 *   <li>Linux cooked v1/v2 ({@code tcpdump -i any}): the packet type, {@code PACKET_OUTGOING} for
 *       what the node sent, {@code PACKET_HOST}, {@code _BROADCAST}, {@code _MULTICAST} and
 *       {@code _OTHERHOST} for what it received (the last is what a bridge port sees of frames for
 *       the bridge, which then routes them); frames on the loopback device are the node talking
 *       to itself and are set aside;
 *   <li>Ethernet, once the node's MAC is known ({@code --node-mac} or {@link NodeMacFinder}): to
 *       the node (or to a group address) is received, from the node is sent, between two other
 *       hosts is set aside (bridged past the node's IP stack);
 *   <li>otherwise (raw IP, or an Ethernet capture whose node MAC is unknown): received, as replay
 *       has always read a capture.
 * </ol>
 */
final class NodeSide {

    private NodeSide() {}

    /**
     * Sets {@code a}'s heading (and reason when it is not replayed).
     *
     * @param nodeMac the node's MAC as 48 bits, or {@link NodeMacFinder#UNKNOWN}
     */
    static void classify(Arrival a, long nodeMac) {
        CaptureRecord r = a.record;
        if (r.isSkipped()) {
            a.setAside(Heading.ASIDE, r.skipped());
            return;
        }
        if ("lo".equals(r.iface().name())) {
            a.setAside(Heading.ASIDE, "on the loopback device: the node talking to itself");
            return;
        }
        switch (r.direction()) {
            case CaptureRecord.DIRECTION_INBOUND -> {
                a.heading = Heading.RECEIVED;
                return;
            }
            case CaptureRecord.DIRECTION_OUTBOUND -> {
                a.setAside(Heading.SENT, "sent by the node");
                return;
            }
            default -> {
                // the link layer may say
            }
        }
        LinkType type = r.linkType();
        byte[] frame = r.frame();
        switch (type) {
            case LINUX_SLL, LINUX_SLL2 -> {
                if (LinkLayer.hardwareType(type, frame) == LinkLayer.ARPHRD_LOOPBACK) {
                    a.setAside(Heading.ASIDE, "on the loopback device: the node talking to itself");
                    return;
                }
                int pt = LinkLayer.packetType(type, frame);
                switch (pt) {
                    case LinkLayer.PACKET_OUTGOING -> a.setAside(Heading.SENT, "sent by the node");
                    case LinkLayer.PACKET_HOST,
                            LinkLayer.PACKET_BROADCAST,
                            LinkLayer.PACKET_MULTICAST,
                            LinkLayer.PACKET_OTHERHOST -> a.heading = Heading.RECEIVED;
                    default -> a.setAside(Heading.ASIDE, "packet type " + pt + " (neither received nor sent)");
                }
            }
            case ETHERNET -> {
                if (nodeMac == NodeMacFinder.UNKNOWN) {
                    a.heading = Heading.RECEIVED;
                    return;
                }
                long dst = LinkLayer.destinationMac(type, frame);
                long src = LinkLayer.sourceMac(type, frame);
                if (dst == nodeMac || (LinkLayer.isGroupMac(dst) && src != nodeMac)) {
                    a.heading = Heading.RECEIVED;
                } else if (src == nodeMac) {
                    a.setAside(Heading.SENT, "sent by the node");
                } else {
                    a.setAside(
                            Heading.ASIDE,
                            "between " + LinkLayer.formatMac(src) + " and " + LinkLayer.formatMac(dst)
                                    + ", neither the node: bridged past its IP stack");
                }
            }
            case RAW, IPV4 -> a.heading = Heading.RECEIVED;
        }
    }
}
