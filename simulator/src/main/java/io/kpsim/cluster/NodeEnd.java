package io.kpsim.cluster;

import io.kpsim.packet.Packet;

/**
 * A link's far end at a node: a packet arrives on the node's interface {@code inInterface} (an
 * uplink from another node, or the bridge for a pod's veth), as the kernel's {@code
 * netif_receive_skb} hands it to the stack of the device it came in on. A record rather than a lambda:
 * each lambda is a call site linked at its first use in every run, while a run starts
 * (src/docs/benchmarks.md, "Start-up", session 11).
 */
record NodeEnd(Node node, String inInterface) implements PacketReceiver {

    @Override
    public void receive(Packet packet, long packetId, int bytes) {
        node.receive(packet, packetId, bytes, inInterface);
    }
}
