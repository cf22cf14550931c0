package io.kpsim.replay;

import io.kpsim.conntrack.ConnTable;
import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtDir;
import io.kpsim.conntrack.CtResult;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.Tuple;
import io.kpsim.netfilter.KubeEndpoint;
import io.kpsim.netfilter.KubeProxyConfig;
import io.kpsim.netfilter.KubeProxyRules;
import io.kpsim.netfilter.KubeService;
import io.kpsim.netfilter.NetInterface;
import io.kpsim.netfilter.NodeDatapath;
import io.kpsim.netfilter.PathResult;
import io.kpsim.netfilter.Route;
import io.kpsim.netfilter.Ruleset;
import io.kpsim.netfilter.Skb;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.pcap.CaptureFilter;
import io.kpsim.pcap.CaptureRecord;
import io.kpsim.pcap.DecodedPacket;
import io.kpsim.pcap.LinkLayer;
import io.kpsim.pcap.LinkType;
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

    /** The node's rules, as {@code iptables-save} prints them. */
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
        FileRun run = new FileRun(name, sink);
        try (PcapReader reader = PcapReader.open(file, options.verifyChecksums())) {
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
        }
        return run.census;
    }

    /** Replays one file into a list. */
    public List<ReplayRecord> replay(Path file, String name) {
        List<ReplayRecord> records = new ArrayList<>();
        replay(file, name, s -> records.add(s.record()));
        return records;
    }

    private NodeDatapath node() {
        Conntrack conntrack = new Conntrack(config.kernel(), config.sysctls(), config.seed());
        List<NetInterface> devices = List.of(new NetInterface(IN_DEVICE, 0), new NetInterface(OUT_DEVICE, 0));
        List<Route> routes = List.of(new Route(new Cidr(0, 0), OUT_DEVICE));
        NodeDatapath n = new NodeDatapath(conntrack, rules, devices, routes, config.seed() ^ 0x5deece66dL);
        if (options.saved() != null) {
            n.xt().ipsets(options.saved().sets());
        }
        return n;
    }

    /** One file's replay: classification, pairing with copies, then the model, in file order. */
    private final class FileRun {
        final String name;
        final Consumer<ReplayStep> sink;
        final CaptureCensus census;
        final NodeDatapath node = node();
        final CopyMatcher copies = new CopyMatcher();
        final CaptureFilter filter = options.filter();
        final NodeMacFinder finder;
        long nodeMac = options.nodeMac();
        boolean macSearchOver;
        final List<Arrival> undecided = new ArrayList<>();
        long undecidedBytes;
        final Arrival[] window = new Arrival[WINDOW];
        int windowed;
        final long[] keyHighs = new long[WINDOW];
        final long[] keyLows = new long[WINDOW];
        long clock = Long.MIN_VALUE;

        FileRun(String name, Consumer<ReplayStep> sink) {
            this.name = name;
            this.sink = sink;
            this.census = new CaptureCensus(name);
            this.finder = nodeMac >= 0 ? null : new NodeMacFinder(services);
            if (!services.isEmpty()) {
                census.services(services.fronts());
            }
        }

        void add(CaptureRecord record) {
            census.interfaceSeen(record.iface());
            if (filter != null && !filter.accepts(record)) {
                census.filteredOut();
                return;
            }
            Arrival a = new Arrival(record);
            if (record.linkType() == LinkType.ETHERNET && record.direction() == CaptureRecord.DIRECTION_UNKNOWN) {
                if (nodeMac >= 0 && !macSearchOver) {
                    macSearchOver = true;
                    census.nodeSide("the node is " + LinkLayer.formatMac(nodeMac) + " (--node-mac)");
                }
                if (!macSearchOver) {
                    finder.look(record);
                    undecided.add(a);
                    undecidedBytes += record.frame().length;
                    if (finder.decided()
                            || undecided.size() >= MAC_SEARCH_RECORDS
                            || undecidedBytes >= MAC_SEARCH_BYTES) {
                        settleMac();
                    }
                    return;
                }
            }
            offer(a);
        }

        /** Decides the node's MAC (or that it stays unknown) and lets the records held so far through. */
        private void settleMac() {
            macSearchOver = true;
            if (finder.decided()) {
                nodeMac = finder.mac();
                census.nodeSide(finder.evidence());
            } else {
                census.nodeSide("no frame to or from a service" + (services.isEmpty() ? " (none given)" : "")
                        + ", so the node's MAC is unknown and every frame is replayed as received (give --node-mac)");
            }
            for (Arrival a : undecided) {
                offer(a);
            }
            undecided.clear();
        }

        private void offer(Arrival a) {
            NodeSide.classify(a, nodeMac);
            copies.add(a);
            drain(false);
        }

        void end() {
            if (!macSearchOver && !undecided.isEmpty()) {
                settleMac();
            }
            drain(true);
            flush();
        }

        private void drain(boolean end) {
            Arrival a;
            while ((a = copies.next(end)) != null) {
                window[windowed++] = a;
                if (windowed == WINDOW) {
                    flush();
                }
            }
        }

        /** Replays the released records, their conntrack lookups prefetched together. */
        private void flush() {
            int keys = 0;
            for (int i = 0; i < windowed; i++) {
                Packet p = window[i].heading == Heading.RECEIVED ? window[i].packet() : null;
                if (p != null && (p.protocol() == Protocol.TCP || p.protocol() == Protocol.UDP)) {
                    keyHighs[keys] = ConnTable.keyHigh(p.srcIp(), p.dstIp());
                    keyLows[keys++] = ConnTable.keyLow(p.protocol().number(), p.srcPort(), p.dstPort());
                }
            }
            node.conntrack().prefetch(keyHighs, keyLows, keys);
            for (int i = 0; i < windowed; i++) {
                Arrival a = window[i];
                window[i] = null;
                clock = Math.max(clock, a.timestampNanos()); // jiffies never go back
                census.count(a);
                sink.accept(step(a, clock));
            }
            windowed = 0;
        }

        /**
         * Runs one record through the node at {@code now}: its timestamp, or the latest one before it
         * when the capture's clock stepped back.
         */
        private ReplayStep step(Arrival a, long now) {
            CaptureRecord record = a.record;
            int index = a.index();
            String skipped = a.heading == Heading.RECEIVED ? null : a.aside;
            DecodedPacket decoded = record.decoded();
            if (skipped == null && options.verifyChecksums() && !decoded.ipChecksumValid()) {
                // ip_rcv_core(): ip_fast_csum() over the header must be 0, else the packet is dropped
                // (IPSTATS_MIB_CSUMERRORS) before PREROUTING: conntrack never sees it.
                skipped = "bad IPv4 header checksum: ip_rcv() drops it before conntrack";
            }
            if (skipped != null) {
                return ReplayStep.skipped(ReplayRecord.skipped(name, index, skipped), record.timestampNanos());
            }
            Packet in = record.packet();
            boolean checksumOk = true;
            if (options.verifyChecksums()) {
                checksumOk = decoded.l4ChecksumValid();
                if (decoded.l4ChecksumOffloaded()) {
                    census.offloadedChecksum();
                }
            }
            if (decoded.tcpOptionsCut()) {
                census.optionsCut();
            }
            if (in.totalLength() > MTU) {
                census.superPacket();
            }
            ServiceMapping service = services.addressedTo(in);
            if (service != null) {
                census.serviceUsed(service);
            }
            Observed observed = a.observed;
            if (a.copy != null && (a.copy.dstIp() != in.dstIp() || a.copy.dstPort() != in.dstPort())) {
                node.steerNextDnat(a.copy.dstIp(), a.copy.dstPort());
            }
            PathResult result = node.forward(in, IN_DEVICE, OUT_DEVICE, checksumOk, now);
            int draws = node.lastStatisticDraws();
            EndpointChoice choice = (draws & Skb.STEERED) != 0
                    ? EndpointChoice.CAPTURE
                    : (draws & Skb.DRAWN) != 0 ? EndpointChoice.SEED : EndpointChoice.NONE;
            switch (choice) {
                case CAPTURE -> census.endpointFromCapture();
                case SEED -> census.endpointFromSeed();
                case NONE -> {
                    // no choice was made
                }
            }
            Conntrack conntrack = node.conntrack();
            int entry = entryOf(conntrack, result, now);
            ReplayRecord r = toRecord(conntrack, name, index, result, entry)
                    .withPacket(record.timestampNanos(), record.iface().timestampDigits(), in, observed);
            census.compare(r);
            Tuple connection = null;
            CtDir side = null;
            if (entry != Conntrack.NO_ENTRY) {
                connection = conntrack.tuple(entry, CtDir.ORIGINAL);
                side = connection.equals(tupleOf(in)) ? CtDir.ORIGINAL : CtDir.REPLY;
            }
            return new ReplayStep(r, record.timestampNanos(), in, result, connection, side, choice);
        }
    }

    /**
     * The conntrack entry the packet's tuple (as received) matches in either direction, after the
     * packet; for an ICMP error, the entry of the connection its quoted header belongs to.
     */
    private static int entryOf(Conntrack conntrack, PathResult result, long now) {
        CtResult ct = result.ct();
        Packet in = result.in();
        IcmpMessage icmp = in.icmp();
        if (icmp != null && icmp.isError() && icmp.quoted() != null) {
            return ct.tracked()
                    ? ct.entry()
                    : conntrack.find(tupleOf(icmp.quoted()).invert(), now);
        }
        if (in.protocol() != Protocol.TCP && in.protocol() != Protocol.UDP) {
            return ct.tracked() && conntrack.findable(ct.entry(), now) ? ct.entry() : Conntrack.NO_ENTRY;
        }
        // The entry the packet was tracked with holds its tuple in one direction; only when it is
        // gone (INVALID, dropped before confirm, killed, expired) is a lookup needed.
        return ct.tracked() && conntrack.findable(ct.entry(), now) ? ct.entry() : conntrack.find(tupleOf(in), now);
    }

    static ReplayRecord toRecord(Conntrack conntrack, String name, int index, PathResult result, int entry) {
        CtResult ct = result.ct();
        Packet in = result.in();
        boolean accepted = result.accepted();
        Packet out = result.out();
        IcmpMessage icmp = in.icmp();
        String innerSrc = null;
        String innerDst = null;
        if (icmp != null
                && icmp.isError()
                && icmp.quoted() != null
                && accepted
                && out.icmp() != null
                && out.icmp().quoted() != null) {
            innerSrc = CopyMatcher.endpoint(out.icmp().quoted(), true);
            innerDst = CopyMatcher.endpoint(out.icmp().quoted(), false);
        }
        // only a TCP entry has a TCP state, and only a TCP tuple (or an error quoting one) can match one
        boolean tcp = in.protocol() == Protocol.TCP || (icmp != null && icmp.isError() && icmp.quoted() != null);
        CtState state = ct.state();
        return new ReplayRecord(
                name,
                index,
                state,
                state == CtState.INVALID || state == CtState.UNTRACKED ? null : ct.dir(),
                tcp && entry != Conntrack.NO_ENTRY ? conntrack.tcpState(entry) : null,
                accepted ? ReplayRecord.Verdict.ACCEPT : ReplayRecord.Verdict.DROP,
                accepted ? CopyMatcher.endpoint(out, true) : null,
                accepted ? CopyMatcher.endpoint(out, false) : null,
                innerSrc,
                innerDst,
                ct.reason(),
                null);
    }

    /** The packet's conntrack tuple as received ({@code nf_ct_get_tuple()}). */
    static Tuple tupleOf(Packet p) {
        Protocol proto = p.protocol();
        if (proto == Protocol.ICMP) {
            IcmpMessage m = p.icmp();
            return new Tuple(proto, p.srcIp(), m.identifier(), p.dstIp(), (m.type() << 8) | m.code());
        }
        return new Tuple(proto, p.srcIp(), p.srcPort(), p.dstIp(), p.dstPort());
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
