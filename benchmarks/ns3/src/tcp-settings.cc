// ns-3's TCP set up as kpsim's TcpConfig.linux(); see tcp-settings.h.
#include "tcp-settings.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"

namespace kpsimbench
{

void
ApplyTcpSettings(const TcpSettings& s)
{
    using namespace ns3;
    Config::SetDefault("ns3::TcpL4Protocol::SocketType", TypeIdValue(TcpNewReno::GetTypeId()));
    Config::SetDefault("ns3::TcpL4Protocol::RecoveryType",
                       TypeIdValue(TcpClassicRecovery::GetTypeId()));

    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(s.mss));
    Config::SetDefault("ns3::TcpSocket::InitialCwnd", UintegerValue(s.initialCwndSegments));
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(s.receiveBufferBytes));
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(s.sendBufferBytes));
    Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(s.ackEverySegments));
    Config::SetDefault("ns3::TcpSocket::ConnTimeout", TimeValue(Seconds(s.initialRtoSeconds)));
    Config::SetDefault("ns3::TcpSocket::ConnCount", UintegerValue(s.synRetries));
    Config::SetDefault("ns3::TcpSocket::DataRetries", UintegerValue(s.dataRetries));

    Config::SetDefault("ns3::TcpSocketBase::Sack", BooleanValue(s.sack));
    Config::SetDefault("ns3::TcpSocketBase::WindowScaling", BooleanValue(s.windowScaling));
    Config::SetDefault("ns3::TcpSocketBase::Timestamp", BooleanValue(s.timestamps));
    Config::SetDefault("ns3::TcpSocketBase::LimitedTransmit", BooleanValue(s.limitedTransmit));
    Config::SetDefault("ns3::TcpSocketBase::MinRto", TimeValue(Seconds(s.minRtoSeconds)));
    // TIME_WAIT lasts 2 * MSL (TcpSocketBase::TimeWait).
    Config::SetDefault("ns3::TcpSocketBase::MaxSegLifetime", DoubleValue(s.timeWaitSeconds / 2));
    Config::SetDefault("ns3::RttEstimator::InitialEstimation",
                       TimeValue(Seconds(s.initialRtoSeconds)));
}

} // namespace kpsimbench
