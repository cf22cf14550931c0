package io.kpsim.replay;

import io.kpsim.conntrack.ConnTable;
import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.CtResult;
import io.kpsim.conntrack.CtState;
import io.kpsim.conntrack.TcpState;
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
import io.kpsim.packet.Cidr;
import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.pcap.CaptureRecord;
import io.kpsim.pcap.PcapReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs capture files through one node, as {@code kpsim replay} describes: every record arrives
 * on the node's client-side device and is forwarded out of its server-side device (replay assumes
 * routing delivers whatever no rule drops), passing PREROUTING (conntrack, kube-proxy's DNAT),
 * FORWARD (KUBE-FORWARD, with the INVALID drop when asked) and POSTROUTING (confirm).
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
 * {@code --verify-checksums}, a wrong IPv4 header checksum.
 */
public final class Replayer {

    /** The node's device the captured packets arrive on. */
    static final String IN_DEVICE = "eth0";
    /** The device they are forwarded out of. */
    static final String OUT_DEVICE = "eth1";
    /**
     * Records read ahead of the one replayed, one NAPI poll's worth ({@code NAPI_POLL_WEIGHT}):
     * their conntrack lookups are prefetched together ({@link Conntrack#prefetch}), so a packet's
     * cache misses overlap its neighbours' instead of stalling the node one packet at a time.
     * Replay order and results do not change.
     */
    static final int WINDOW = 64;

    private final NodeConfig config;
    private final boolean verifyChecksums;
    private final Ruleset rules;

    /**
     * A replayer for one node configuration.
     *
     * @param verifyChecksums whether checksums are checked as the receiving node would: a wrong
     *                        IPv4 header checksum drops the packet in {@code ip_rcv()} (skipped),
     *                        a wrong TCP, UDP or ICMP checksum makes conntrack refuse it
     *                        ({@code nf_conntrack_checksum=1}: INVALID); off by default because
     *                        captures taken on a sending host carry checksums the NIC fills in later
     */
    public Replayer(NodeConfig config, boolean verifyChecksums) {
        this.config = config;
        this.verifyChecksums = verifyChecksums;
        this.rules = KubeProxyRules.ruleset(
                kubeServices(config.services()), KubeProxyConfig.of(new Cidr(0, 0), config.dropInvalid()));
    }

    /** The kube-proxy rules the node runs, as {@code iptables-save} prints them. */
    public String rulesText() {
        return node().save();
    }

    /**
     * Replays one file, handing every record to {@code sink} in capture order.
     *
     * @param file the capture
     * @param name the file name to report
     * @throws io.kpsim.pcap.CaptureException one line naming the file and record on bad input
     */
    public void replay(Path file, String name, Consumer<ReplayStep> sink) {
        NodeDatapath node = node();
        CaptureRecord[] window = new CaptureRecord[WINDOW];
        long[] keyHighs = new long[WINDOW];
        long[] keyLows = new long[WINDOW];
        long clock = Long.MIN_VALUE;
        try (PcapReader reader = PcapReader.open(file, verifyChecksums)) {
            int n;
            do {
                n = 0;
                int keys = 0;
                RuntimeException error = null;
                try {
                    CaptureRecord record;
                    while (n < WINDOW && (record = reader.next()) != null) {
                        window[n++] = record;
                        Packet p = record.isSkipped() ? null : record.packet();
                        if (p != null && (p.protocol() == Protocol.TCP || p.protocol() == Protocol.UDP)) {
                            keyHighs[keys] = ConnTable.keyHigh(p.srcIp(), p.dstIp());
                            keyLows[keys++] = ConnTable.keyLow(p.protocol().number(), p.srcPort(), p.dstPort());
                        }
                    }
                } catch (RuntimeException e) {
                    error = e; // the records before the bad one go out first
                }
                node.conntrack().prefetch(keyHighs, keyLows, keys);
                for (int i = 0; i < n; i++) {
                    clock = Math.max(clock, window[i].timestampNanos()); // jiffies never go back
                    sink.accept(step(node, name, window[i], clock));
                    window[i] = null;
                }
                if (error != null) {
                    throw error;
                }
            } while (n == WINDOW);
        }
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
        return new NodeDatapath(conntrack, rules, devices, routes, config.seed() ^ 0x5deece66dL);
    }

    /**
     * Runs one record through the node at {@code now}: its timestamp, or the latest one before it
     * when the capture's clock stepped back.
     */
    private ReplayStep step(NodeDatapath node, String name, CaptureRecord record, long now) {
        int index = (int) record.index();
        String skipped = record.isSkipped() ? record.skipped() : null;
        if (skipped == null && verifyChecksums && !record.decoded().ipChecksumValid()) {
            // ip_rcv_core(): ip_fast_csum() over the header must be 0, else the packet is dropped
            // (IPSTATS_MIB_CSUMERRORS) before PREROUTING: conntrack never sees it.
            skipped = "bad IPv4 header checksum: ip_rcv() drops it before conntrack";
        }
        if (skipped != null) {
            return new ReplayStep(ReplayRecord.skipped(name, index, skipped), record.timestampNanos(), null, null);
        }
        Packet in = record.packet();
        boolean checksumOk = !verifyChecksums || record.decoded().l4ChecksumValid();
        PathResult result = node.forward(in, IN_DEVICE, OUT_DEVICE, checksumOk, now);
        return new ReplayStep(
                toRecord(node.conntrack(), name, index, result, now), record.timestampNanos(), in, result);
    }

    static ReplayRecord toRecord(Conntrack conntrack, String name, int index, PathResult result, long now) {
        CtResult ct = result.ct();
        Packet in = result.in();
        boolean accepted = result.accepted();
        Packet out = result.out();
        IcmpMessage icmp = in.icmp();
        TcpState tcpState;
        String innerSrc = null;
        String innerDst = null;
        if (icmp != null && icmp.isError() && icmp.quoted() != null) {
            int entry = ct.tracked()
                    ? ct.entry()
                    : conntrack.find(tupleOf(icmp.quoted()).invert(), now);
            tcpState = entry == Conntrack.NO_ENTRY ? null : conntrack.tcpState(entry);
            if (accepted && out.icmp() != null && out.icmp().quoted() != null) {
                innerSrc = endpoint(out.icmp().quoted(), true);
                innerDst = endpoint(out.icmp().quoted(), false);
            }
        } else if (in.protocol() != Protocol.TCP) {
            tcpState = null; // only a TCP entry has a TCP state, and only a TCP tuple can match one
        } else {
            // The entry the packet was tracked with holds its tuple in one direction; only when it is
            // gone (INVALID, dropped before confirm, killed, expired) is a lookup needed.
            int entry =
                    ct.tracked() && conntrack.findable(ct.entry(), now) ? ct.entry() : conntrack.find(tupleOf(in), now);
            tcpState = entry == Conntrack.NO_ENTRY ? null : conntrack.tcpState(entry);
        }
        CtState state = ct.state();
        return new ReplayRecord(
                name,
                index,
                state,
                state == CtState.INVALID || state == CtState.UNTRACKED ? null : ct.dir(),
                tcpState,
                accepted ? ReplayRecord.Verdict.ACCEPT : ReplayRecord.Verdict.DROP,
                accepted ? endpoint(out, true) : null,
                accepted ? endpoint(out, false) : null,
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

    /** {@code ip:port} for TCP and UDP, {@code ip} otherwise: what {@link Ip4#format} prints, in one small array. */
    private static String endpoint(Packet p, boolean source) {
        int ip = source ? p.srcIp() : p.dstIp();
        byte[] text = new byte[21]; // 255.255.255.255:65535
        int n = decimal(text, 0, ip >>> 24);
        for (int shift = 16; shift >= 0; shift -= 8) {
            text[n++] = '.';
            n = decimal(text, n, (ip >>> shift) & 0xff);
        }
        if (p.protocol() == Protocol.TCP || p.protocol() == Protocol.UDP) {
            text[n++] = ':';
            n = decimal(text, n, source ? p.srcPort() : p.dstPort());
        }
        return new String(text, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** Writes {@code value} (0..65535) in decimal at {@code at}; returns the index after it. */
    private static int decimal(byte[] text, int at, int value) {
        int digits = value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : value < 10000 ? 4 : 5;
        for (int i = at + digits - 1; i >= at; i--) {
            text[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + digits;
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
