package io.kpsim.replay;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.pcap.CaptureRecord;
import io.kpsim.pcap.LinkLayer;

/**
 * Works out which MAC address is the node's in an Ethernet capture of one interface, where
 * nothing in the file says which frames came in and which went out.
 *
 * <p>The evidence is a service address: only the node answers for a ClusterIP. A frame whose IP
 * destination is a service was sent <em>to</em> the node (the client's next hop for the VIP), so
 * its destination MAC is the node's; a frame whose IP source is a service (a reply after reverse
 * NAT) was sent <em>by</em> the node, so its source MAC is. The first such frame decides.
 *
 * <p>Captures kpsim writes itself derive every MAC from its IP address ({@link LinkLayer#mac(int)}),
 * so their frames to a VIP carry the VIP's own MAC: no node MAC at all. Such a file is
 * "synthetic": every frame is what reached the node, as {@code kpsim run --pcap} captures are.
 */
final class NodeMacFinder {

    /** No MAC decided (yet). */
    static final long UNKNOWN = -1;

    private final ServiceSet services;
    private long mac = UNKNOWN;
    private boolean synthetic;
    private String evidence;

    NodeMacFinder(ServiceSet services) {
        this.services = services;
    }

    /** Looks at one record; once {@link #decided()}, later records change nothing. */
    void look(CaptureRecord r) {
        if (decided() || r.isSkipped()) {
            return;
        }
        Packet p = r.packet();
        byte[] frame = r.frame();
        if (services.addressedTo(p) != null) {
            decide(LinkLayer.destinationMac(r.linkType(), frame), p.dstIp(), r, "receives");
        } else if (services.comingFrom(p) != null) {
            decide(LinkLayer.sourceMac(r.linkType(), frame), p.srcIp(), r, "sends");
        }
    }

    private void decide(long candidate, int serviceIp, CaptureRecord r, String verb) {
        if (candidate < 0 || LinkLayer.isGroupMac(candidate)) {
            return;
        }
        if (candidate == LinkLayer.mac48(serviceIp)) {
            synthetic = true;
            evidence = "its MACs are derived from the IP addresses (as kpsim writes them): every frame is one the"
                    + " node received";
            return;
        }
        mac = candidate;
        evidence = "the node is " + LinkLayer.formatMac(candidate) + " (it " + verb + " #" + r.index() + " for "
                + Ip4.format(serviceIp) + ")";
    }

    /** Whether the first frame to or from a service has been seen. */
    boolean decided() {
        return mac != UNKNOWN || synthetic;
    }

    /** The node's MAC, or {@link #UNKNOWN} (undecided or synthetic). */
    long mac() {
        return mac;
    }

    /** How it was decided, for the file's classification line; {@code null} while undecided. */
    String evidence() {
        return evidence;
    }
}
