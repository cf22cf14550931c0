package io.kpsim.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.packet.UdpDatagram;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kube-proxy's own packet-flow cases ({@code runPacketFlowTests} in kubernetes'
 * {@code pkg/proxy/iptables/proxier_test.go}: {@code TestTracePacket}, {@code TestNoEndpointsReject},
 * {@code TestClusterIPGeneral}, {@code TestLoadBalancer}, {@code TestNodePorts},
 * {@code TestHealthCheckNodePort}, {@code TestExternalTrafficPolicyLocal/Cluster},
 * {@code TestInternalTrafficPolicy} (older: {@code TestInternalTrafficPolicyE2E}),
 * {@code TestTerminatingEndpointsTrafficPolicyLocal/Cluster}, {@code TestInternalExternalMasquerade}):
 * 216 packets with the output and masquerade flag kube-proxy's tests expect, run through
 * {@link PacketTracer} on the same rules.
 *
 * <p>The data (test resources {@code trace/kube-proxy/}) was collected for issue 13 in
 * {@code /work/notes/trace-cases.md}: {@code cases.tsv} has each case's dump, name, protocol,
 * source, destination, expected output and masq, verbatim from the test source; {@code Dnn.restore}
 * is what kube-proxy's {@code syncProxyRules} passes to {@code iptables-restore --noflush} for that
 * test's Services, loaded after {@code _jumps.rules} (the base-chain jumps kube-proxy installs
 * with {@code EnsureRule}); {@code A1-static-quoted.restore} is {@code TestTracePacket}'s static
 * dump with its multi-word comments quoted so that a real {@code iptables-restore} accepts it.
 *
 * <p>The node is kube-proxy's test node: 192.168.0.2, 192.168.1.2 and 192.168.99.11 on eth0
 * (and 127.0.0.0/8). kube-proxy's tracer only runs nat PREROUTING and four filter chains; kpsim
 * walks the kernel's path (OUTPUT for a node source, INPUT for a local destination, FORWARD
 * otherwise) with conntrack, and must reach the same result: an output of endpoints is the set of
 * DNAT destinations over all {@code -m statistic} branches (each 1/N likely), "" is a packet
 * accepted untouched, ACCEPT/DROP/REJECT the verdict, and masq that POSTROUTING masquerades it.
 *
 * <p>Every dump loads (one that did not would fail its cases with the loader's one-line message). One case is
 * excluded, by name in {@link #SCTP_PACKETS}: its packet is SCTP, which kpsim's packet model does not have; the
 * SCTP rules themselves load and never match the TCP and UDP packets of the same dump.
 */
class KubeProxyTraceCasesTest {

    private static final String DIR = "/trace/kube-proxy/";
    private static final List<NetInterface> DEVICES = List.of(
            new NetInterface("eth0", Ip4.parse("192.168.0.2")),
            new NetInterface("eth0:1", Ip4.parse("192.168.1.2")),
            new NetInterface("eth0:2", Ip4.parse("192.168.99.11")));
    private static final List<Route> ROUTES = List.of(new Route(Cidr.parse("0.0.0.0/0"), "eth0"));
    private static final Map<String, Object> RULES = new ConcurrentHashMap<>();

    /** One row of cases.tsv. */
    record Case(
            String dump,
            String test,
            String name,
            String proto,
            String src,
            String dst,
            int port,
            String output,
            boolean masq) {
        @Override
        public String toString() {
            return dump + " " + test + ": " + name + " (" + proto + " " + src + " -> " + dst + ":" + port + ")";
        }
    }

    /**
     * The cases kpsim cannot represent, exactly: their packet is SCTP and kpsim's packets are TCP, UDP or ICMP. The
     * rules of their dump load and run for every other case; {@link #exclusionsAreExactlyTheSctpPackets} asserts
     * that this list is what cases.tsv holds.
     */
    static final List<String> SCTP_PACKETS =
            List.of("D01 TestClusterIPGeneral: clusterIP with TCP, UDP, and SCTP on same port (SCTP)");

    static List<Case> cases() throws IOException {
        List<Case> list = new ArrayList<>();
        String[] lines = text("cases.tsv").split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split("\t", -1);
            Case c = new Case(
                    f[0], f[1], f[2], f[3], f[4], f[5], Integer.parseInt(f[6]), f[7], Boolean.parseBoolean(f[8]));
            if (!SCTP_PACKETS.contains(c.dump + " " + c.test + ": " + c.name)) {
                list.add(c);
            }
        }
        return list;
    }

    @Test
    void exclusionsAreExactlyTheSctpPackets() throws IOException {
        List<String> sctp = new ArrayList<>();
        String[] lines = text("cases.tsv").split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split("\t", -1);
            if (!f[3].equals("tcp") && !f[3].equals("udp")) {
                assertEquals("sctp", f[3], lines[i]);
                sctp.add(f[0] + " " + f[1] + ": " + f[2]);
            }
        }
        assertEquals(SCTP_PACKETS, sctp);
        assertEquals(215, cases().size(), "every case but the SCTP packet runs");
        // the SCTP case's rules load, and its TCP/UDP siblings on the same dump run against them
        assertTrue(rules("D01") != null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void kpsimAgreesWithKubeProxysExpectation(Case c) {
        Ruleset rules = rules(c.dump);
        Packet packet = packet(c);
        PacketTracer tracer = new PacketTracer(() -> new NodeDatapath(
                new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 7),
                rules,
                DEVICES,
                ROUTES,
                7));
        List<TraceOutcome> outcomes = tracer.trace(new PacketTracer.Probe(packet, "eth0", 0, null));
        String context = c + "\n" + describe(outcomes);
        double total = outcomes.stream().mapToDouble(TraceOutcome::probability).sum();
        assertEquals(1.0, total, 1e-9, "probabilities must add up to 1: " + context);
        switch (c.output) {
            case "" -> {
                assertEquals(1, outcomes.size(), context);
                TraceOutcome o = outcomes.get(0);
                assertEquals(TraceOutcome.Verdict.ACCEPT, o.verdict(), context);
                assertEquals(null, o.dnat(), context);
                assertEquals(c.masq, o.masquerade(), context);
            }
            case "ACCEPT", "DROP", "REJECT" -> {
                assertEquals(1, outcomes.size(), context);
                TraceOutcome o = outcomes.get(0);
                assertEquals(TraceOutcome.Verdict.valueOf(c.output), o.verdict(), context);
                assertEquals(null, o.dnat(), context);
                assertEquals(c.masq, o.masquerade(), context);
                if (c.output.equals("REJECT")) {
                    // kube-proxy writes a bare -j REJECT: libxt_REJECT's default
                    assertEquals("icmp-port-unreachable", o.rejectWith(), context);
                }
                if (c.output.equals("ACCEPT")) {
                    assertTrue(
                            o.local(),
                            "an ACCEPT in kube-proxy's cases is a health-check port on the node: " + context);
                }
            }
            default -> {
                List<String> expected = List.of(c.output.split(", "));
                List<String> got = new ArrayList<>();
                for (TraceOutcome o : outcomes) {
                    assertEquals(TraceOutcome.Verdict.ACCEPT, o.verdict(), context);
                    assertEquals(c.masq, o.masquerade(), context);
                    assertEquals(
                            1.0 / expected.size(), o.probability(), 1e-6, "endpoints are equally likely: " + context);
                    got.add(o.dnat());
                }
                assertEquals(expected, got, context);
            }
        }
    }

    private static Packet packet(Case c) {
        int src = Ip4.parse(c.src);
        int dst = Ip4.parse(c.dst);
        return switch (c.proto) {
            case "tcp" ->
                Packet.tcp(
                        src, dst, new TcpSegment(41000, c.port, 1000, 0, TcpFlags.SYN, 64240, 0, TcpOptions.NONE, 0));
            case "udp" -> Packet.udp(src, dst, new UdpDatagram(41000, c.port, 0));
            default -> throw new IllegalStateException("cases() keeps only tcp and udp packets, not " + c);
        };
    }

    /** The dump's rules as kube-proxy's fake iptables holds them; a dump that does not load fails its cases. */
    private static Ruleset rules(String dump) {
        Object r = RULES.computeIfAbsent(dump, KubeProxyTraceCasesTest::load);
        if (r instanceof String missing) {
            fail("the rule engine cannot load " + dump + ": " + missing);
        }
        return (Ruleset) r;
    }

    private static Object load(String dump) {
        try {
            if (dump.equals("A1")) {
                // TestTracePacket's fake iptables starts with empty built-in chains, policy ACCEPT; the dump
                // declares them "-" (keep the policy), as iptables-restore --noflush does
                String text = text("A1-static-quoted.restore")
                        .replaceAll("(?m)^:(INPUT|FORWARD|OUTPUT|PREROUTING|" + "POSTROUTING) - ", ":$1 ACCEPT ");
                return IptablesRestore.parse(text);
            }
            Ruleset jumps = IptablesRestore.parse(text("_jumps.rules"));
            return IptablesRestore.restore(jumps, text(dump + ".restore"), true);
        } catch (IptablesTextException e) {
            return e.getMessage();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(String name) throws IOException {
        try (InputStream in = KubeProxyTraceCasesTest.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                fail("test resource " + DIR + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String describe(List<TraceOutcome> outcomes) {
        StringBuilder s = new StringBuilder();
        for (TraceOutcome o : outcomes) {
            s.append(o.probability()).append(' ').append(o.summary()).append('\n');
            for (TraceStep step : o.steps()) {
                s.append("    ").append(step).append('\n');
            }
        }
        return s.toString();
    }
}
