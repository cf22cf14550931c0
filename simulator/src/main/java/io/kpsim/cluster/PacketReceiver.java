package io.kpsim.cluster;

import io.kpsim.packet.Packet;

/** The far end of a {@link Link}: a node's interface or a pod's veth end. */
@FunctionalInterface
interface PacketReceiver {

    /**
     * A packet arrives, with the id its sender's pod gave it and its IP length (carried along so
     * it is computed once per packet: NAT never changes it).
     */
    void receive(Packet packet, long packetId, int bytes);
}
