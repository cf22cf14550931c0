// The blog topology of kpsim's scenarios/blog-reset.yaml, built from ns-3 point-to-point links.
#ifndef KPSIM_BENCH_BLOG_TOPOLOGY_H
#define KPSIM_BENCH_BLOG_TOPOLOGY_H

#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <string>

namespace kpsimbench
{

/**
 * One direction-symmetric link as kpsim's LinkImpairments describes it: a propagation delay and,
 * optionally, a serialisation rate with a drop-tail queue in front of it.
 */
struct LinkSettings
{
    ns3::Time delay;
    uint64_t bitsPerSecond; // 0: unlimited, as kpsim's veth (no rate, no queue)
    uint32_t queueBytes;
};

/** The scenario's links, with scenarios/blog-reset.yaml's values as defaults. */
struct TopologySettings
{
    // spec.links: [node-a, node-b], delay 500us, bandwidth 1Gbit, the default queue of
    // LinkImpairments.DEFAULT_QUEUE_BYTES = 1,500,000 bytes (txqueuelen 1000 of full frames).
    LinkSettings wire{ns3::MicroSeconds(500), 1000000000ULL, 1500000};
    // A pod's veth without a links entry: LinkImpairments.veth(), 2 microseconds, nothing else.
    LinkSettings veth{ns3::MicroSeconds(2), 0, 1500000};
};

/**
 * client pod -- node-a -- node-b -- server pod, with kpsim's addresses: pods 10.244.1.2 and
 * 10.244.2.2, each node's bridge address podCIDR.network + 1, nodes 192.168.0.10 and .11, and
 * kpsim's routes (each node routes the other's podCIDR over the wire; each pod's default route
 * is its node). There is no ClusterIP: ns-3 has no netfilter, so clients connect to the server
 * pod's address directly.
 */
class BlogTopology
{
  public:
    explicit BlogTopology(const TopologySettings& settings);

    ns3::Ptr<ns3::Node> Client() const { return m_client; }
    ns3::Ptr<ns3::Node> Server() const { return m_server; }
    ns3::Ipv4Address ServerAddress() const;

    /** Writes one pcap per device, named PREFIX-NODE-DEVICE.pcap, for checking the model. */
    void EnablePcap(const std::string& prefix) const;

  private:
    ns3::NetDeviceContainer Connect(ns3::Ptr<ns3::Node> a,
                                    ns3::Ptr<ns3::Node> b,
                                    const LinkSettings& link,
                                    const char* network,
                                    const char* firstHost);

    ns3::Ptr<ns3::Node> m_client;
    ns3::Ptr<ns3::Node> m_nodeA;
    ns3::Ptr<ns3::Node> m_nodeB;
    ns3::Ptr<ns3::Node> m_server;
    ns3::NetDeviceContainer m_devices;
};

} // namespace kpsimbench

#endif
