package io.kpsim.cluster;

import io.kpsim.packet.Packet;

/**
 * A link's far end at a pod (or a node's host network): the packet arrives at the pod's end of its
 * veth pair, or its loopback. A record rather than a method reference, for the reason {@link
 * NodeEnd} gives.
 */
record PodEnd(Pod pod) implements PacketReceiver {

    @Override
    public void receive(Packet packet, long packetId, int bytes) {
        pod.receive(packet, packetId, bytes);
    }
}
