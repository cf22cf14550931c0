// Counts what the pods send, the way kpsim counts ClusterResults.packetsSent and retransmissions.
#ifndef KPSIM_BENCH_SEND_COUNTER_H
#define KPSIM_BENCH_SEND_COUNTER_H

#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <cstdint>

namespace kpsimbench
{

/**
 * kpsim counts a packet when a pod's TCP stack hands it to the pod's veth (Pod.transmit): every
 * SYN, data segment, pure ACK, FIN and RST, retransmissions included, forwarded copies not. The
 * same point in ns-3 is Ipv4L3Protocol's "SendOutgoing" trace on the pod's node, which fires once
 * for each locally generated IP packet as it is routed out (not for packets the node forwards).
 *
 * A retransmission, as kpsim's TcpSender counts it, is a segment that occupies sequence space
 * (data, SYN or FIN) and starts below the highest sequence number the socket has sent; ns-3 has
 * no such counter, so Watch() follows each socket's "Tx" trace and applies that rule.
 */
class SendCounter
{
  public:
    /** Counts the packets {@code pod} sends from now on. */
    void CountPod(ns3::Ptr<ns3::Node> pod);

    /** Watches {@code socket} for retransmissions. */
    void Watch(ns3::Ptr<ns3::Socket> socket);

    uint64_t Packets() const { return m_packets; }
    uint64_t Retransmissions() const { return m_retransmissions; }

  private:
    void PacketSent(const ns3::Ipv4Header& header, ns3::Ptr<const ns3::Packet> packet, uint32_t interface);

    uint64_t m_packets = 0;
    uint64_t m_retransmissions = 0;
};

} // namespace kpsimbench

#endif
