package io.kpsim.replay;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.netfilter.KubeEndpoint;
import io.kpsim.netfilter.KubeProxyConfig;
import io.kpsim.netfilter.KubeProxyRules;
import io.kpsim.netfilter.KubeService;
import io.kpsim.netfilter.NetInterface;
import io.kpsim.netfilter.NodeDatapath;
import io.kpsim.netfilter.Route;
import io.kpsim.netfilter.Ruleset;
import io.kpsim.netfilter.nftables.NftEngine;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Protocol;
import io.kpsim.pcap.CaptureRecord;
import io.kpsim.pcap.PcapReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs capture files through one node, as {@code kpsim replay} describes: every packet the node
 * <em>received</em> arrives on the node's client-side device and is forwarded out of its
 * server-side device (replay assumes routing delivers whatever no rule drops), passing PREROUTING
 * (conntrack, the nat rules), FORWARD (the filter rules) and POSTROUTING (confirm).
 *
 * <p>A capture taken on a node holds the packets it received and the copies it sent on
 * ({@link NodeSide} tells which is which; {@link CopyMatcher} pairs them): each packet is replayed
 * once, where it entered netfilter, and its copy says what the kernel did ({@link Observed}). A new
 * connection whose copy shows its endpoint gets that endpoint ({@link NodeDatapath#steerNextDnat});
 * one whose copy is not in the capture gets one drawn from the seed. The node's rules are kube-proxy's
 * for the given services, or the node's own ({@link SavedRules}).
 *
 * <p>Each file starts from an empty conntrack table and a node freshly seeded from the
 * configuration's seed, so a file's result never depends on the files before it. The capture's
 * timestamps are conntrack's clock, which, like the kernel's {@code jiffies}, never runs
 * backwards: a record stamped earlier than the one before it (captures merged out of order, a
 * clock step on the capturing host) is tracked at the latest time already seen, so no timeout
 * is undone and no entry lives longer than it did. The record keeps its own timestamp in the output.
 *
 * <p>What the kernel drops in {@code ip_rcv()}, before PREROUTING, never reaches conntrack and
 * is reported as skipped: a datagram longer than its frame on the wire, and, with
 * {@code --verify-checksums}, a wrong IPv4 header checksum. A layer-4 checksum that holds only the
 * pseudo-header sum was offloaded by the sender ({@code CHECKSUM_PARTIAL}) and is not wrong.
 */
public final class Replayer {

    /** The node's device the captured packets arrive on. */
    static final String IN_DEVICE = "eth0";
    /** The device they are forwarded out of. */
    static final String OUT_DEVICE = "eth1";
    /**
     * Records replayed together, one NAPI poll's worth ({@code NAPI_POLL_WEIGHT}): their conntrack
     * lookups are prefetched together ({@link Conntrack#prefetch}), so a packet's cache misses
     * overlap its neighbours' instead of stalling the node one packet at a time. Replay order and
     * results do not change.
     */
    static final int WINDOW = 64;
    /** Ethernet records held while the node's MAC is worked out, at most. */
    static final int MAC_SEARCH_RECORDS = 65_536;
    /** Frame bytes held while the node's MAC is worked out, at most. */
    static final long MAC_SEARCH_BYTES = 64L << 20;
    /** The usual Ethernet MTU: an IPv4 packet longer than this was a GSO/GRO super-packet. */
    static final int MTU = 1500;

    private final NodeConfig config;
    private final ReplayOptions options;
    private final Ruleset rules;
    private final ServiceSet services;

    /**
     * A replayer for one node configuration, reading captures plainly (no filter, rules from the
     * configuration's services).
     *
     * @param verifyChecksums whether checksums are checked as the receiving node would: a wrong
     *                        IPv4 header checksum drops the packet in {@code ip_rcv()} (skipped),
     *                        a wrong TCP, UDP or ICMP checksum makes conntrack refuse it
     *                        ({@code nf_conntrack_checksum=1}: INVALID); off by default because
     *                        captures taken on a sending host carry checksums the NIC fills in later
     */
    public Replayer(NodeConfig config, boolean verifyChecksums) {
        this(config, ReplayOptions.plain(verifyChecksums));
    }

    /** A replayer for one node configuration and the given way of reading captures. */
    public Replayer(NodeConfig config, ReplayOptions options) {
        this.config = config;
        this.options = options;
        SavedRules saved = options.saved();
        this.rules = saved != null
                ? saved.rules()
                : KubeProxyRules.ruleset(
                        kubeServices(config.services()), KubeProxyConfig.of(new Cidr(0, 0), config.dropInvalid()));
        this.services = new ServiceSet(saved != null ? saved.services() : config.services());
    }

    /** The node's iptables rules, as {@code iptables-save} prints them (empty tables on an nftables node). */
    public String rulesText() {
        return node().save();
    }

    /** The node's services: from {@code --service}, or read back from the saved rules. */
    public List<ServiceMapping> services() {
        return services.all();
    }

    /** The rules the node runs. */
    public Ruleset rules() {
        return rules;
    }

    /**
     * Replays one file, handing every record that passes the filter to {@code sink} in capture order.
     *
     * @param file the capture
     * @param name the file name to report
     * @return how the file's records were classified, and what the node's copies said
     * @throws io.kpsim.pcap.CaptureException one line naming the file and record on bad input (the
     *         records before it are handed over first)
     */
    public CaptureCensus replay(Path file, String name, Consumer<ReplayStep> sink) {
        return replay(file, name, sink, null);
    }

    /**
     * As {@link #replay(Path, String, Consumer)}, telling {@code arrivals} of each packet just
     * before the node's hooks run on it (for pictures that show the conntrack entry before and
     * after each packet); {@code null} tells no one.
     */
    public CaptureCensus replay(Path file, String name, Consumer<ReplayStep> sink, ReplayArrivals arrivals) {
        return replay(file, name, sink, null, arrivals);
    }

    /**
     * As {@link #replay(Path, String, Consumer)} for a sink that needs each record's
     * {@link ReplayRecord} alone (the JSON Lines output, the oracle's comparison): the same records,
     * without the node's full {@link io.kpsim.netfilter.PathResult}, the connection's tuples and
     * the {@link ReplayStep} that carry them, which cost a third of the objects each packet makes.
     */
    public CaptureCensus replayRecords(Path file, String name, Consumer<ReplayRecord> sink) {
        return replay(file, name, null, sink, null);
    }

    private CaptureCensus replay(
            Path file,
            String name,
            Consumer<ReplayStep> steps,
            Consumer<ReplayRecord> records,
            ReplayArrivals arrivals) {
        try (PcapReader reader = PcapReader.open(file, options.verifyChecksums())) {
            FileReplay run =
                    new FileReplay(name, steps, records, arrivals, node(), options, services, reader.oneInterface());
            RuntimeException error = null;
            while (true) {
                CaptureRecord record;
                try {
                    record = reader.next();
                } catch (RuntimeException e) {
                    error = e; // the records before the bad one go out first
                    record = null;
                }
                if (record == null) {
                    run.end();
                    break;
                }
                run.add(record);
            }
            if (error != null) {
                throw error;
            }
            return run.census;
        }
    }

    /** Replays one file into a list. */
    public List<ReplayRecord> replay(Path file, String name) {
        List<ReplayRecord> records = new ArrayList<>();
        replayRecords(file, name, records::add);
        return records;
    }

    private NodeDatapath node() {
        Conntrack conntrack = new Conntrack(config.kernel(), config.sysctls(), config.seed());
        List<NetInterface> devices = List.of(new NetInterface(IN_DEVICE, 0), new NetInterface(OUT_DEVICE, 0));
        List<Route> routes = List.of(new Route(new Cidr(0, 0), OUT_DEVICE));
        NodeDatapath node = new NodeDatapath(conntrack, rules, devices, routes, config.seed() ^ 0x5deece66dL);
        SavedRules saved = options.saved();
        if (saved != null && saved.nftables() != null) {
            // a fresh engine per node: dynamic sets and counters belong to one node's run
            node.rules(null, new NftEngine(saved.nftables()).programs());
        }
        if (saved != null) {
            node.xt().ipsets(saved.sets());
        }
        return node;
    }

    private static List<KubeService> kubeServices(List<ServiceMapping> services) {
        List<KubeService> result = new ArrayList<>();
        int n = 0;
        for (ServiceMapping s : services) {
            List<KubeEndpoint> endpoints = new ArrayList<>();
            for (ServiceMapping.Endpoint e : s.endpoints()) {
                endpoints.add(new KubeEndpoint(e.ip(), e.port()));
            }
            n++;
            // --service names no protocol: like a Service with a TCP and a UDP port of the same number.
            result.add(new KubeService("default", "svc" + n, "tcp", Protocol.TCP, s.vip(), s.port(), endpoints));
            result.add(new KubeService("default", "svc" + n, "udp", Protocol.UDP, s.vip(), s.port(), endpoints));
        }
        return result;
    }
}
