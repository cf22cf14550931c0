package io.kpsim.cluster;

import io.kpsim.packet.Packet;

/** The far end of a {@link Link}: a node's interface or a pod's veth end. */
@FunctionalInterface
interface PacketReceiver {

    /** A packet (with the id its sender's pod gave it) arrives. */
    void receive(Packet packet, long packetId);
}
