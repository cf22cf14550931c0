package io.kpsim.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.netfilter.TraceOutcome;
import io.kpsim.packet.IcmpMessage;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.packet.UdpDatagram;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The iptables rule engine against the real kernel: 110 random rulesets from
 * {@link IptablesRulesetGenerator} (custom chains, jumps and gotos, negations, policies, ipsets,
 * every REJECT type, DNAT to addresses and ranges, SNAT, MASQUERADE, REDIRECT, and the state
 * modules), each loaded with {@code ipset restore} and {@code iptables-restore} into a throw-away
 * node namespace and probed 10 times from the client and server sides; the kernel's outcome
 * (local delivery, forwarded copy with its NAT, the reject's RST or ICMP reply, or a drop) must be
 * what {@code kpsim trace} answers for the probe ({@link io.kpsim.netfilter.PacketTracer}, on one
 * node per ruleset that has seen the ruleset's earlier probes, as the kernel's has): the same end
 * and the same {@code verdict}, {@code dnat}, {@code snat}, {@code local} and {@code reject_with}
 * ({@link TraceAgreement}), every time. {@link TraceKernelOracleTest} adds random branches.
 */
class IptablesKernelOracleTest {

    private static final int RULESETS = 110;
    private static final int PROBES_PER_RULESET = 10;

    @BeforeAll
    static void machine() {
        String problems = OracleMachineCheck.summary();
        Assumptions.assumeTrue(problems == null, problems);
        for (String tool : List.of("nft", "iptables-restore", "ipset")) {
            Commands.Result r = Commands.exec(List.of("sh", "-c", "command -v " + tool));
            Assumptions.assumeTrue(
                    r.ok(), "needs '" + tool + "' on PATH (Debian: " + (tool.equals("nft") ? "nftables" : tool) + ")");
        }
    }

    @Test
    void theModelAgreesWithTheKernelOnEveryProbe() {
        List<String> disagreements = new ArrayList<>();
        Map<String, Integer> kinds = new TreeMap<>();
        int probes = 0;
        SplittableRandom random = new SplittableRandom(1313);
        int sport = 20000;
        int icmpId = 1;
        try (NftOracleNode kernel = NftOracleNode.create()) {
            IptablesRulesetGenerator generator = new IptablesRulesetGenerator(13, kernel.plan());
            for (int r = 0; r < RULESETS; r++) {
                IptablesRulesetGenerator.Generated g = generator.next();
                assertNull(kernel.loadIptables(g.rules(), g.sets()), "ruleset " + r + " refused:\n" + g.rules());
                IptablesOracleModel model = new IptablesOracleModel(g.rules(), g.sets(), kernel.plan(), true);
                for (int i = 0; i < PROBES_PER_RULESET; i++) {
                    boolean fromPod = random.nextInt(6) == 0;
                    Packet p = probe(random, g, fromPod, sport++, icmpId++);
                    String seen = kernel.probe(p, fromPod);
                    List<TraceOutcome> traced = model.trace(p, fromPod);
                    probes++;
                    kinds.merge(kind(p, seen), 1, Integer::sum);
                    String differs = traced.size() != 1
                            ? "the rules draw nothing, yet the trace has " + traced.size() + " outcomes"
                            : TraceAgreement.check(p, seen, traced);
                    if (differs != null) {
                        disagreements.add("ruleset " + r + ", " + p + (fromPod ? " (pod)" : "") + ":\n  kernel: " + seen
                                + "\n  " + differs + "\n" + g.rules());
                    }
                }
                if (disagreements.size() > 5) {
                    break;
                }
            }
        }
        assertTrue(
                disagreements.isEmpty(),
                disagreements.size() + " disagreements, e.g.:\n" + String.join("\n", disagreements));
        assertEquals(RULESETS * PROBES_PER_RULESET, probes);
        System.out.println("iptables oracle: " + probes + " probes over " + RULESETS + " rulesets agree: " + kinds);
        for (String kind : List.of("LOCAL", "FORWARD", "FORWARD DNAT", "REJECT icmp", "REJECT tcp", "DROP")) {
            assertTrue(kinds.getOrDefault(kind, 0) >= 20, "too few " + kind + " outcomes to tell: " + kinds);
        }
    }

    static Packet probe(
            SplittableRandom random, IptablesRulesetGenerator.Generated g, boolean fromPod, int sport, int icmpId) {
        int src = fromPod
                ? pick(random, NftOraclePlan.pods())
                : random.nextInt(3) == 0
                        ? pick(random, NftOraclePlan.podClients())
                        : NftOraclePlan.externalClients().get(random.nextInt(6));
        int dst;
        int dport = 80;
        switch (random.nextInt(8)) {
            case 0, 1, 2 -> dst = g.vips().get(random.nextInt(g.vips().size()));
            case 3 -> {
                dst = NftOraclePlan.NODE_IP;
                dport = random.nextBoolean() ? 22 : 8000;
            }
            case 4, 5 -> {
                dst = NftOraclePlan.pods().get(random.nextInt(20));
                dport = random.nextBoolean() ? 8080 : 22;
            }
            case 6 -> dst = pick(random, NftOraclePlan.remotes());
            default -> {
                dst = NftOraclePlan.NODE_POD_SIDE_IP;
                dport = 10250;
            }
        }
        return switch (random.nextInt(7)) {
            case 0, 1, 2, 3 ->
                Packet.tcp(
                        src,
                        dst,
                        new TcpSegment(
                                sport,
                                dport,
                                1_000_000 + random.nextInt(1 << 20),
                                0,
                                TcpFlags.SYN,
                                64240,
                                0,
                                TcpOptions.syn(1460, 7, true),
                                0));
            case 4, 5 -> Packet.udp(src, dst, new UdpDatagram(sport, dport, random.nextInt(40)));
            default -> Packet.icmp(src, dst, IcmpMessage.echo(IcmpMessage.ECHO_REQUEST, icmpId, 1, 16));
        };
    }

    private static int pick(SplittableRandom random, List<Integer> list) {
        return list.get(random.nextInt(list.size()));
    }

    /** LOCAL, FORWARD, FORWARD DNAT, REJECT icmp, REJECT tcp or DROP. */
    static String kind(Packet p, String outcome) {
        String[] w = outcome.split(" ");
        if (w[0].equals("REJECT")) {
            return "REJECT " + w[1];
        }
        if (w[0].equals("FORWARD")) {
            String dst = w[4].contains(":") ? w[4].substring(0, w[4].indexOf(':')) : w[4];
            return Ip4.parse(dst) != p.dstIp() ? "FORWARD DNAT" : "FORWARD";
        }
        return w[0];
    }
}
