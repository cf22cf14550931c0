package io.kpsim.oracle;

import io.kpsim.conntrack.Tuple;
import io.kpsim.packet.Ip4;
import io.kpsim.pcap.LiveInterface;
import io.kpsim.replay.ServiceMapping;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Two fresh network namespaces joined by two veth pairs: the harness (which injects the captured
 * frames and captures what comes out) and the node (which forwards between a client side and a
 * server side through conntrack, kube-proxy-style DNAT in nat PREROUTING, the per-ctstate marks
 * of {@link StateMark} in mangle FORWARD and, optionally, the drop-INVALID rule in filter FORWARD),
 * plus the routes and the two rules that let the {@link Sentinel} through untracked and unmarked.
 *
 * <pre>
 *   harness ns                       node ns (ip_forward=1, rp_filter=0)
 *   [hc] ===== veth ===== [nc]  --(PREROUTING DNAT, FORWARD marks/drop)-->  [ns] ===== veth ===== [hs]
 *   client side                                                                        server side
 * </pre>
 *
 * <p>Everything is created from scratch with unique names and removed in {@link #close()}
 * (deleting a namespace removes its veths, routes and rules), also from a JVM shutdown hook on
 * Ctrl-C. Nothing in the root namespace is touched. Neighbours are static (no ARP), IPv6 is off
 * (no ND noise), and the node's {@code net.netfilter.nf_log.2} is {@code nfnetlink_log} so
 * conntrack's INVALID reasons reach the harness per namespace. Entries are read back by tuple over
 * ctnetlink ({@link CtnetlinkLookup}); the table is flushed with {@code conntrack -F} from a shell
 * kept inside the node namespace ({@link NodeShell}). Receive packet steering is switched off on
 * all four veths, so each frame is handled on the CPU that sent it (the sentinel's premise).
 */
public final class OracleTopology implements AutoCloseable {

    private static final String MAC_HC = "02:6b:70:00:00:01";
    private static final String MAC_HS = "02:6b:70:00:00:02";
    private static final String MAC_NC = "02:6b:70:00:00:03";
    private static final String MAC_NS = "02:6b:70:00:00:04";
    private static final int MTU = 65000;
    /** Conntrack sysctls a child namespace can read but not set (one table for the host). */
    private static final java.util.Set<String> HOST_WIDE = java.util.Set.of(
            "net.netfilter.nf_conntrack_max", "net.netfilter.nf_conntrack_buckets", "net.netfilter.nf_conntrack_count");

    private final NamespacePair namespaces;
    private final String harness;
    private final String node;
    private final String id;
    private LiveInterface clientPort;
    private LiveInterface serverPort;
    private LiveInterface nflog;
    private NodeShell shell;
    private CtnetlinkLookup ctnetlink;
    private boolean closed;

    private OracleTopology(NamespacePair namespaces) {
        this.namespaces = namespaces;
        this.id = namespaces.id();
        this.harness = namespaces.harness();
        this.node = namespaces.node();
    }

    /**
     * Builds the namespaces, links, routes, rules and sysctls for {@code config} and {@code plan},
     * and opens the capture handles. On any failure everything created so far is removed before
     * the one-line {@link OracleException} propagates.
     */
    static OracleTopology create(OracleConfig config, AddressPlan plan) {
        OracleTopology t = new OracleTopology(NamespacePair.claim("kps", "kpsim-oracle-teardown"));
        try {
            t.build(config, plan);
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /** The harness namespace's name. */
    public String harnessNamespace() {
        return harness;
    }

    /** The node namespace's name. */
    public String nodeNamespace() {
        return node;
    }

    private String dev(String suffix) {
        return "k" + id + suffix;
    }

    private void build(OracleConfig config, AddressPlan plan) {
        namespaces.create();
        Commands.run(List.of(
                "ip", "link", "add", dev("hc"), "address", MAC_HC, "netns", harness, "type", "veth", "peer", "name",
                dev("nc"), "address", MAC_NC, "netns", node));
        Commands.run(List.of(
                "ip", "link", "add", dev("hs"), "address", MAC_HS, "netns", harness, "type", "veth", "peer", "name",
                dev("ns"), "address", MAC_NS, "netns", node));
        List<String> harnessBatch = new ArrayList<>();
        for (String d : List.of(dev("hc"), dev("hs"))) {
            harnessBatch.add("link set dev " + d + " mtu " + MTU + " up");
        }
        ipBatch(harness, harnessBatch);
        List<String> nodeBatch = new ArrayList<>();
        nodeBatch.add("link set dev lo up");
        for (String d : List.of(dev("nc"), dev("ns"))) {
            nodeBatch.add("link set dev " + d + " mtu " + MTU + " up");
        }
        routes(nodeBatch, plan.routedTo(AddressPlan.Side.CLIENT), dev("nc"), MAC_HC);
        routes(nodeBatch, plan.routedTo(AddressPlan.Side.SERVER), dev("ns"), MAC_HS);
        routes(nodeBatch, List.of(plan.sentinel().toClientSide()), dev("nc"), MAC_HC);
        routes(nodeBatch, List.of(plan.sentinel().toServerSide()), dev("ns"), MAC_HS);
        ipBatch(node, nodeBatch);
        noPacketSteering(harness, dev("hc"), dev("hs"));
        noPacketSteering(node, dev("nc"), dev("ns"));
        Commands.inNetns(
                node,
                "sysctl",
                "-q",
                "-w",
                "net.ipv4.ip_forward=1",
                "net.ipv4.conf.all.rp_filter=0",
                "net.ipv4.conf.default.rp_filter=0",
                "net.ipv4.conf." + dev("nc") + ".rp_filter=0",
                "net.ipv4.conf." + dev("ns") + ".rp_filter=0",
                "net.ipv4.conf.all.send_redirects=0",
                "net.ipv4.conf." + dev("nc") + ".send_redirects=0",
                "net.ipv4.conf." + dev("ns") + ".send_redirects=0");
        withTempFile(
                rules(config, plan.sentinel()), file -> Commands.inNetns(node, "iptables-restore", file.toString()));
        applySysctls(config);
        clientPort = NetnsThread.call(harness, () -> LiveInterface.openEthernet(dev("hc"), "ip"));
        serverPort = NetnsThread.call(harness, () -> LiveInterface.openEthernet(dev("hs"), "ip"));
        nflog = NetnsThread.call(node, () -> LiveInterface.openNflog(0));
        shell = new NodeShell(node);
        ctnetlink = CtnetlinkLookup.open(node, config.verdictTimeout());
    }

    private static void routes(List<String> batch, Iterable<Integer> ips, String dev, String mac) {
        for (int ip : ips) {
            String a = Ip4.format(ip);
            batch.add("route replace " + a + "/32 dev " + dev);
            batch.add("neigh replace " + a + " lladdr " + mac + " dev " + dev + " nud permanent");
        }
    }

    /**
     * Writes 0 to every receive queue's {@code rps_cpus} of {@code devices} (a fresh device takes
     * {@code net.core.rps_default_mask}, which a host may have set): with RPS a frame may be handed
     * to another CPU's backlog by its flow hash, and the sentinel could overtake the packet.
     */
    private static void noPacketSteering(String ns, String... devices) {
        StringBuilder script = new StringBuilder();
        for (String d : devices) {
            script.append("for f in /sys/class/net/")
                    .append(d)
                    .append("/queues/rx-*/rps_cpus; do [ ! -e \"$f\" ] || echo 0 > \"$f\" || exit 1; done; ");
        }
        Commands.inNetns(ns, "sh", "-c", script.append("exit 0").toString());
    }

    private void ipBatch(String ns, List<String> lines) {
        withTempFile(
                String.join("\n", lines) + "\n",
                file -> Commands.run(List.of("ip", "-n", ns, "-batch", file.toString())));
    }

    /**
     * The iptables-restore text: the sentinel's NOTRACK, DNAT per service, FORWARD marks (every
     * NFLOG with {@code --nflog-threshold 1}: {@code nfulnl_log_packet()} otherwise queues up to
     * the instance's 100 messages or one second before sending), the optional drop-INVALID rule.
     */
    static String rules(OracleConfig config, Sentinel sentinel) {
        StringBuilder s = new StringBuilder("*raw\n:PREROUTING ACCEPT [0:0]\n");
        s.append(sentinel.notrackRule()).append("\nCOMMIT\n");
        s.append("*nat\n:PREROUTING ACCEPT [0:0]\n");
        for (ServiceMapping svc : config.services()) {
            List<ServiceMapping.Endpoint> eps = svc.endpoints();
            for (int i = 0; i < eps.size(); i++) {
                s.append("-A PREROUTING -d ")
                        .append(Ip4.format(svc.vip()))
                        .append("/32 -p tcp -m tcp --dport ")
                        .append(svc.port());
                int remaining = eps.size() - i;
                if (remaining > 1) {
                    s.append(String.format(
                            java.util.Locale.ROOT, " -m statistic --mode random --probability %.11f", 1.0 / remaining));
                }
                s.append(" -j DNAT --to-destination ").append(eps.get(i)).append('\n');
            }
        }
        s.append("COMMIT\n*mangle\n:FORWARD ACCEPT [0:0]\n");
        s.append(sentinel.skipMarksRule()).append('\n');
        for (StateMark m : StateMark.values()) {
            String match = String.join(" ", m.match());
            s.append("-A FORWARD ")
                    .append(match)
                    .append(" -j NFLOG --nflog-group 0 --nflog-size 128 --nflog-threshold 1 --nflog-prefix \"")
                    .append(m.nflogPrefix())
                    .append("\"\n");
            s.append("-A FORWARD ")
                    .append(match)
                    .append(" -j DSCP --set-dscp ")
                    .append(m.dscp())
                    .append('\n');
        }
        s.append("COMMIT\n*filter\n:FORWARD ACCEPT [0:0]\n");
        if (config.dropInvalid()) {
            s.append("-A FORWARD -m conntrack --ctstate INVALID -j DROP\n");
        }
        return s.append("COMMIT\n").toString();
    }

    private void applySysctls(OracleConfig config) {
        Map<String, String> wanted = new TreeMap<>(config.sysctls());
        wanted.put("net.netfilter.nf_conntrack_log_invalid", "255");
        wanted.put("net.netfilter.nf_log.2", "nfnetlink_log");
        Map<String, String> current = new TreeMap<>();
        for (String line : Commands.inNetns(node, "sysctl", "net.netfilter").split("\n")) {
            int eq = line.indexOf(" = ");
            if (eq > 0) {
                current.put(line.substring(0, eq).trim(), line.substring(eq + 3).trim());
            }
        }
        List<String> args = new ArrayList<>(List.of("sysctl", "-q", "-w"));
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            if (!current.containsKey(e.getKey())) {
                throw new OracleException(
                        "sysctl " + e.getKey() + " does not exist in the node namespace of this kernel");
            }
            if (!current.get(e.getKey()).equals(e.getValue())) {
                if (HOST_WIDE.contains(e.getKey())) {
                    throw new OracleException(e.getKey() + " is host-wide (only the initial namespace may set it);"
                            + " the oracle cannot verify a node with " + e.getKey() + "=" + e.getValue()
                            + " (this host has " + current.get(e.getKey()) + ")");
                }
                args.add(e.getKey() + "=" + e.getValue());
            }
        }
        if (args.size() > 3) {
            Commands.inNetns(node, args.toArray(new String[0]));
        }
    }

    private interface FileUser {
        void use(Path file);
    }

    private static void withTempFile(String content, FileUser user) {
        Path file;
        try {
            file = Files.createTempFile("kpsim-oracle-", ".txt");
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OracleException("cannot write a temporary file: " + e.getMessage(), e);
        }
        try {
            user.use(file);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }

    /** The harness handle facing {@code side} of the node. */
    LiveInterface port(AddressPlan.Side side) {
        return side == AddressPlan.Side.CLIENT ? clientPort : serverPort;
    }

    /** The node's netfilter log (group 0): conntrack reasons and FORWARD marks. */
    LiveInterface nflog() {
        return nflog;
    }

    /** An Ethernet frame carrying {@code ipv4} from the harness into the node on {@code side}. */
    static byte[] frame(AddressPlan.Side side, byte[] ipv4) {
        byte[] f = new byte[14 + ipv4.length];
        String dst = side == AddressPlan.Side.CLIENT ? MAC_NC : MAC_NS;
        String src = side == AddressPlan.Side.CLIENT ? MAC_HC : MAC_HS;
        String[] d = dst.split(":");
        String[] s = src.split(":");
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) Integer.parseInt(d[i], 16);
            f[6 + i] = (byte) Integer.parseInt(s[i], 16);
        }
        f[12] = 0x08;
        System.arraycopy(ipv4, 0, f, 14, ipv4.length);
        return f;
    }

    /** The node's confirmed conntrack entry with {@code tuple} as original or reply tuple. */
    CtnetlinkLookup.Result conntrack(Tuple tuple) {
        return ctnetlink.find(tuple);
    }

    /** {@code conntrack -F}: empties the node's table (each capture starts from an empty table). */
    void flushConntrack() {
        shell.run("conntrack -F");
    }

    /** Whether both namespaces still exist (for tests of the teardown). */
    public boolean namespacesExist() {
        String list = Commands.run(List.of("ip", "netns", "list"));
        return list.contains(harness) || list.contains(node);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (shell != null) {
            shell.close();
        }
        if (ctnetlink != null) {
            ctnetlink.close();
        }
        for (LiveInterface h : new LiveInterface[] {clientPort, serverPort, nflog}) {
            if (h != null) {
                h.close();
            }
        }
        namespaces.release();
    }
}
