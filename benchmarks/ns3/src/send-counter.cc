// Counts what the pods send; see send-counter.h.
#include "send-counter.h"

namespace kpsimbench
{

using namespace ns3;

namespace
{

/** The highest sequence number one socket has sent so far, and where to count its retransmissions. */
struct SentHighWater : public SimpleRefCount<SentHighWater>
{
    explicit SentHighWater(uint64_t* retransmissions)
        : retransmissions(retransmissions)
    {
    }

    uint64_t* retransmissions;
    bool any = false;
    SequenceNumber32 end;
};

void
SegmentSent(Ptr<SentHighWater> sent,
            Ptr<const Packet> payload,
            const TcpHeader& header,
            Ptr<const TcpSocketBase>)
{
    uint8_t flags = header.GetFlags();
    uint32_t length = payload->GetSize() + ((flags & TcpHeader::SYN) ? 1 : 0) +
                      ((flags & TcpHeader::FIN) ? 1 : 0);
    if (length == 0)
    {
        return; // a pure ACK or RST occupies no sequence space
    }
    SequenceNumber32 begin = header.GetSequenceNumber();
    if (sent->any && begin < sent->end)
    {
        ++*sent->retransmissions;
    }
    if (!sent->any || begin + length > sent->end)
    {
        sent->end = begin + length;
        sent->any = true;
    }
}

} // namespace

void
SendCounter::CountPod(Ptr<Node> pod)
{
    pod->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "SendOutgoing",
        MakeCallback(&SendCounter::PacketSent, this));
}

void
SendCounter::Watch(Ptr<Socket> socket)
{
    Ptr<SentHighWater> sent = Create<SentHighWater>(&m_retransmissions);
    socket->TraceConnectWithoutContext("Tx", MakeBoundCallback(&SegmentSent, sent));
}

void
SendCounter::PacketSent(const Ipv4Header&, Ptr<const Packet>, uint32_t)
{
    ++m_packets;
}

} // namespace kpsimbench
