// The blog topology; see blog-topology.h.
#include "blog-topology.h"

#include "ns3/internet-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

namespace kpsimbench
{

using namespace ns3;

namespace
{

/**
 * ns-3 needs a rate on every point-to-point link. kpsim's veth has none (no serialisation at
 * all); 1 Tbit/s makes a full frame take 12 ns, which is as close as ns-3 gets.
 */
const uint64_t UNLIMITED_BITS_PER_SECOND = 1000000000000ULL;

Ptr<Node>
NamedNode(const char* name)
{
    Ptr<Node> node = CreateObject<Node>();
    Names::Add(name, node);
    return node;
}

} // namespace

BlogTopology::BlogTopology(const TopologySettings& settings)
    : m_client(NamedNode("client")),
      m_nodeA(NamedNode("node-a")),
      m_nodeB(NamedNode("node-b")),
      m_server(NamedNode("server"))
{
    // Static routing only, as kpsim's nodes have: no global route computation.
    InternetStackHelper internet;
    Ipv4StaticRoutingHelper staticRouting;
    internet.SetRoutingHelper(staticRouting);
    internet.Install(NodeContainer(m_client, m_nodeA, m_nodeB, m_server));

    // Each link's first node gets the first address: nodes' bridges 10.244.x.1 and pods .2, as in
    // kpsim; the wire gets kpsim's node IPs, 192.168.0.10 and .11.
    NetDeviceContainer clientVeth = Connect(m_nodeA, m_client, settings.veth, "10.244.1.0", "0.0.0.1");
    NetDeviceContainer wire = Connect(m_nodeA, m_nodeB, settings.wire, "192.168.0.0", "0.0.0.10");
    NetDeviceContainer serverVeth = Connect(m_nodeB, m_server, settings.veth, "10.244.2.0", "0.0.0.1");
    m_devices.Add(clientVeth);
    m_devices.Add(wire);
    m_devices.Add(serverVeth);

    auto routing = [&staticRouting](Ptr<Node> node) {
        return staticRouting.GetStaticRouting(node->GetObject<Ipv4>());
    };
    auto interfaceOf = [](Ptr<NetDevice> device) {
        return device->GetNode()->GetObject<Ipv4>()->GetInterfaceForDevice(device);
    };
    routing(m_client)->SetDefaultRoute("10.244.1.1", interfaceOf(clientVeth.Get(1)));
    routing(m_server)->SetDefaultRoute("10.244.2.1", interfaceOf(serverVeth.Get(1)));
    routing(m_nodeA)->AddNetworkRouteTo("10.244.2.0",
                                        "255.255.255.0",
                                        "192.168.0.11",
                                        interfaceOf(wire.Get(0)));
    routing(m_nodeB)->AddNetworkRouteTo("10.244.1.0",
                                        "255.255.255.0",
                                        "192.168.0.10",
                                        interfaceOf(wire.Get(1)));
}

NetDeviceContainer
BlogTopology::Connect(Ptr<Node> a,
                      Ptr<Node> b,
                      const LinkSettings& link,
                      const char* network,
                      const char* firstHost)
{
    uint64_t rate = link.bitsPerSecond > 0 ? link.bitsPerSecond : UNLIMITED_BITS_PER_SECOND;
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", DataRateValue(DataRate(rate)));
    p2p.SetChannelAttribute("Delay", TimeValue(link.delay));
    // kpsim's link queue is one byte-limited drop-tail queue per direction (tbf's limit).
    p2p.SetQueue("ns3::DropTailQueue<Packet>",
                 "MaxSize",
                 QueueSizeValue(QueueSize(QueueSizeUnit::BYTES, link.queueBytes)));
    NetDeviceContainer devices = p2p.Install(a, b);

    Ipv4AddressHelper addresses(network, "255.255.255.0", firstHost);
    addresses.Assign(devices);
    // Ipv4AddressHelper::Assign puts ns-3's default queue disc (FqCoDel) on every device; kpsim
    // has no AQM, so take it off and let the device's drop-tail queue be the only queue.
    TrafficControlHelper().Uninstall(devices);
    return devices;
}

Ipv4Address
BlogTopology::ServerAddress() const
{
    return m_server->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal();
}

void
BlogTopology::EnablePcap(const std::string& prefix) const
{
    PointToPointHelper().EnablePcap(prefix, m_devices);
}

} // namespace kpsimbench
