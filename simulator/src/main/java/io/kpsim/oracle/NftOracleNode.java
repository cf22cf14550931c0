package io.kpsim.oracle;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.UdpDatagram;
import io.kpsim.pcap.DecodedPacket;
import io.kpsim.pcap.Ipv4Decoder;
import io.kpsim.pcap.Ipv4Encoder;
import io.kpsim.pcap.LiveInterface;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The nftables oracle's kernel side: a harness namespace and a node namespace joined by two veth
 * pairs ({@link NftOraclePlan}'s client and server sides), with the node's addresses, routes and
 * permanent neighbours, forwarding on, ICMP rate limits off (so every reject's error is sent:
 * {@code icmp_global_allow()}/{@code icmpv4_xrlim_allow()} would otherwise thin them out); into it
 * each ruleset is loaded with the real {@code nft -f}.
 *
 * <p>A probe is injected as a frame on the side it comes from, followed on the same port by a
 * sentinel (UDP to 198.18.0.2, which every generated base chain accepts first and the node
 * forwards to the server side). Frames on one CPU are handled in order, so when the sentinel comes
 * out the kernel has finished the probe: a forwarded copy, or a reject's RST/ICMP reply (built and
 * sent synchronously by {@code nf_send_reset()}/{@code icmp_send()}), came out before it. Local
 * delivery is read from the counter of the oracle's own input chain at the last priority, which
 * then drops the packet so the node's stack sends nothing of its own. Everything is removed in
 * {@link #close()} and by a shutdown hook; nothing in the root namespace is touched.
 */
final class NftOracleNode implements AutoCloseable {

    private static final String MAC_HC = "02:6b:71:00:00:01";
    private static final String MAC_HS = "02:6b:71:00:00:02";
    private static final String MAC_NC = "02:6b:71:00:00:03";
    private static final String MAC_NS = "02:6b:71:00:00:04";
    private static final long TIMEOUT_NANOS = 5_000_000_000L;
    /** The oracle's own table: the last input chain counts and drops what reached local delivery. */
    static final String ORACLE_TABLE = "add table ip kpsim-oracle\n"
            + "add chain ip kpsim-oracle local { type filter hook input priority 2147483000 ; }\n"
            + "add rule ip kpsim-oracle local counter drop\n";

    private final NamespacePair namespaces;
    private final String harness;
    private final String node;
    private final NftOraclePlan plan;
    private LiveInterface clientPort;
    private LiveInterface serverPort;
    private NodeShell shell;
    private long localCount;
    private int probes;
    private boolean closed;

    private NftOracleNode(NamespacePair namespaces) {
        this.namespaces = namespaces;
        this.harness = namespaces.harness();
        this.node = namespaces.node();
        String id = namespaces.id();
        this.plan = new NftOraclePlan("k" + id + "c", "k" + id + "s");
    }

    /** Builds the namespaces; on failure removes what was made and throws one line. */
    static NftOracleNode create() {
        NftOracleNode n = new NftOracleNode(NamespacePair.claim("kpn", "kpsim-nft-oracle-teardown"));
        try {
            n.build();
            return n;
        } catch (RuntimeException e) {
            n.close();
            throw e;
        }
    }

    /** The node's devices and addresses (the model builds the same node). */
    NftOraclePlan plan() {
        return plan;
    }

    private void build() {
        namespaces.create();
        String c = plan.clientDevice();
        String s = plan.serverDevice();
        Commands.run(List.of(
                "ip", "link", "add", c + "h", "address", MAC_HC, "netns", harness, "type", "veth", "peer", "name", c,
                "address", MAC_NC, "netns", node));
        Commands.run(List.of(
                "ip", "link", "add", s + "h", "address", MAC_HS, "netns", harness, "type", "veth", "peer", "name", s,
                "address", MAC_NS, "netns", node));
        batch(harness, List.of("link set dev " + c + "h up", "link set dev " + s + "h up"));
        List<String> b = new ArrayList<>(List.of(
                "link set dev lo up",
                "link set dev " + c + " up",
                "link set dev " + s + " up",
                "addr add " + Ip4.format(NftOraclePlan.NODE_IP) + "/32 dev " + c,
                "addr add " + Ip4.format(NftOraclePlan.NODE_POD_SIDE_IP) + "/32 dev " + s,
                "route add 192.168.50.0/24 dev " + c,
                "route add 10.244.9.0/24 dev " + c,
                "route add default dev " + s));
        for (int ip : NftOraclePlan.clientSide()) {
            b.add("neigh replace " + Ip4.format(ip) + " lladdr " + MAC_HC + " dev " + c + " nud permanent");
        }
        for (int ip : NftOraclePlan.serverSide()) {
            b.add("neigh replace " + Ip4.format(ip) + " lladdr " + MAC_HS + " dev " + s + " nud permanent");
        }
        batch(node, b);
        Commands.inNetns(
                node,
                "sh",
                "-c",
                "for f in /sys/class/net/" + c + "/queues/rx-*/rps_cpus /sys/class/net/" + s
                        + "/queues/rx-*/rps_cpus; do [ ! -e \"$f\" ] || echo 0 > \"$f\" || exit 1; done; exit 0");
        Commands.inNetns(
                node,
                "sysctl",
                "-q",
                "-w",
                "net.ipv4.ip_forward=1",
                "net.ipv4.conf.all.rp_filter=0",
                "net.ipv4.conf.default.rp_filter=0",
                "net.ipv4.conf." + c + ".rp_filter=0",
                "net.ipv4.conf." + s + ".rp_filter=0",
                "net.ipv4.conf.all.send_redirects=0",
                "net.ipv4.conf." + c + ".send_redirects=0",
                "net.ipv4.conf." + s + ".send_redirects=0",
                "net.ipv4.icmp_ratelimit=0",
                "net.ipv4.icmp_msgs_per_sec=1000000",
                "net.ipv4.icmp_msgs_burst=1000000",
                "net.ipv4.conf.all.accept_local=1");
        clientPort = NetnsThread.call(harness, () -> LiveInterface.openEthernet(c + "h", "ip"));
        serverPort = NetnsThread.call(harness, () -> LiveInterface.openEthernet(s + "h", "ip"));
        shell = new NodeShell(node);
    }

    private static void batch(String ns, List<String> lines) {
        Path file = null;
        try {
            file = Files.createTempFile("kpsim-nft-oracle-", ".ip");
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            Commands.run(List.of("ip", "-n", ns, "-batch", file.toString()));
        } catch (IOException e) {
            throw new OracleException("cannot write a temporary file: " + e.getMessage(), e);
        } finally {
            deleteQuietly(file);
        }
    }

    /**
     * Replaces the node's ruleset with {@code text} (plus the oracle's counting table) and empties
     * its conntrack table; returns {@code nft}'s complaint, or {@code null} when it loaded.
     */
    String load(String text) {
        Path file = null;
        try {
            file = Files.createTempFile("kpsim-nft-oracle-", ".nft");
            Files.writeString(file, "flush ruleset\n" + text + ORACLE_TABLE, StandardCharsets.UTF_8);
            Commands.Result r = Commands.exec(List.of("ip", "netns", "exec", node, "nft", "-f", file.toString()));
            if (!r.ok()) {
                return r.firstErrorLine();
            }
        } catch (IOException e) {
            throw new OracleException("cannot write a temporary file: " + e.getMessage(), e);
        } finally {
            deleteQuietly(file);
        }
        shell.run("conntrack -F");
        localCount = 0;
        return null;
    }

    /**
     * Replaces the node's rules with iptables rules (loaded with the real {@code iptables-restore},
     * after its ipsets with {@code ipset restore}) plus the oracle's counting table, and empties its
     * conntrack table; returns the tools' complaint, or {@code null} when everything loaded.
     */
    String loadIptables(String rules, String sets) {
        String refused = load("");
        if (refused != null) {
            return refused;
        }
        Path setFile = null;
        Path ruleFile = null;
        try {
            // the kernel may still hold a flushed rule's set reference: empty the sets, restore over them
            Commands.exec(List.of("ip", "netns", "exec", node, "ipset", "flush"));
            Commands.exec(List.of("ip", "netns", "exec", node, "ipset", "destroy"));
            setFile = Files.createTempFile("kpsim-ipt-oracle-", ".ipset");
            Files.writeString(setFile, sets, StandardCharsets.UTF_8);
            Commands.Result s = Commands.exec(
                    List.of("ip", "netns", "exec", node, "ipset", "-exist", "restore", "-file", setFile.toString()));
            if (!s.ok()) {
                return "ipset restore: " + s.firstErrorLine();
            }
            ruleFile = Files.createTempFile("kpsim-ipt-oracle-", ".rules");
            Files.writeString(ruleFile, rules, StandardCharsets.UTF_8);
            Commands.Result r =
                    Commands.exec(List.of("ip", "netns", "exec", node, "iptables-restore", ruleFile.toString()));
            if (!r.ok()) {
                return "iptables-restore: " + r.firstErrorLine();
            }
        } catch (IOException e) {
            throw new OracleException("cannot write a temporary file: " + e.getMessage(), e);
        } finally {
            deleteQuietly(setFile);
            deleteQuietly(ruleFile);
        }
        return null;
    }

    /** What the node did with {@code probe}, arriving on the client side or the server side. */
    String probe(Packet probe, boolean fromServerSide) {
        LiveInterface ingress = fromServerSide ? serverPort : clientPort;
        clientPort.drain();
        serverPort.drain();
        int n = ++probes;
        Packet sentinel = Packet.udp(
                NftOraclePlan.SENTINEL_SOURCE,
                NftOraclePlan.SENTINEL_DESTINATION,
                new UdpDatagram(1024 + (n % 60000), 9, 4));
        CpuPin pin = CpuPin.here();
        List<Packet> seen = new ArrayList<>();
        try {
            ingress.inject(frame(fromServerSide, Ipv4Encoder.encode(probe)));
            ingress.inject(frame(fromServerSide, Ipv4Encoder.encode(sentinel)));
            long deadline = System.nanoTime() + TIMEOUT_NANOS;
            boolean done = false;
            while (!done) {
                boolean any = false;
                for (LiveInterface port : new LiveInterface[] {clientPort, serverPort}) {
                    byte[] f = port.poll();
                    if (f == null) {
                        continue;
                    }
                    any = true;
                    Packet p = decode(f);
                    if (p == null) {
                        continue;
                    }
                    if (p.dstIp() == NftOraclePlan.SENTINEL_DESTINATION
                            && p.protocol() == sentinel.protocol()
                            && p.srcPort() == sentinel.srcPort()) {
                        done = port == serverPort;
                        continue;
                    }
                    seen.add(p);
                }
                if (!any) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new OracleException("probe " + n + ": the node forwarded neither the probe nor the"
                                + " sentinel behind it within 5 s");
                    }
                    LockSupport.parkNanos(20_000);
                }
            }
            byte[] f;
            while ((f = clientPort.poll()) != null) {
                Packet p = decode(f);
                if (p != null) {
                    seen.add(p);
                }
            }
        } finally {
            pin.close();
        }
        return outcome(probe, seen);
    }

    private String outcome(Packet probe, List<Packet> seen) {
        List<String> out = new ArrayList<>();
        for (Packet p : seen) {
            out.add(NftOutcome.ofFrame(probe, p));
        }
        if (out.isEmpty()) {
            long count = localCounter();
            if (count > localCount) {
                localCount = count;
                return NftOutcome.LOCAL;
            }
            return NftOutcome.DROP;
        }
        return String.join(" + ", out);
    }

    private long localCounter() {
        String text = shell.run("nft list chain ip kpsim-oracle local");
        int at = text.indexOf("counter packets ");
        if (at < 0) {
            throw new OracleException("the oracle's local counter is missing from: " + text.strip());
        }
        String rest = text.substring(at + "counter packets ".length());
        return Long.parseLong(rest.substring(0, rest.indexOf(' ')));
    }

    private static Packet decode(byte[] frame) {
        if (frame.length <= 14 || (frame[12] & 0xff) != 0x08 || frame[13] != 0) {
            return null;
        }
        DecodedPacket d = Ipv4Decoder.decode(frame, 14, frame.length - 14);
        return d.packet();
    }

    private static byte[] frame(boolean serverSide, byte[] ipv4) {
        byte[] f = new byte[14 + ipv4.length];
        String[] d = (serverSide ? MAC_NS : MAC_NC).split(":");
        String[] s = (serverSide ? MAC_HS : MAC_HC).split(":");
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) Integer.parseInt(d[i], 16);
            f[6 + i] = (byte) Integer.parseInt(s[i], 16);
        }
        f[12] = 0x08;
        System.arraycopy(ipv4, 0, f, 14, ipv4.length);
        return f;
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless
        }
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
        for (LiveInterface h : new LiveInterface[] {clientPort, serverPort}) {
            if (h != null) {
                h.close();
            }
        }
        namespaces.release();
    }
}
