package io.kpsim.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.netfilter.TraceOutcome;
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
 * {@code kpsim trace} against the real kernel where the rules draw at random: 40 random rulesets
 * from {@link IptablesRulesetGenerator} with kube-proxy's probability ladders for some Services
 * ({@code -m statistic --mode random --probability 1/n} jumps to chains that DNAT) and random
 * conditions on filter rules, loaded with {@code ipset restore} and {@code iptables-restore} into a
 * node namespace and probed 10 times each (half of the probes to its Services).
 * {@link io.kpsim.netfilter.PacketTracer} walks each probe on fresh nodes, as the command does;
 * what the kernel did (its draw's DNAT, verdict, source NAT, reply or local delivery) must be one
 * of the reachable outcomes, with the trace's fields ({@link TraceAgreement}), and when the rules
 * leave only one outcome, exactly it.
 */
class TraceKernelOracleTest {

    private static final int RULESETS = 40;
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

    /** A TCP SYN or a UDP datagram to port 80 of one of the ruleset's Services. */
    private static Packet toService(
            SplittableRandom random, IptablesRulesetGenerator.Generated g, boolean fromPod, int sport) {
        List<Integer> from = fromPod ? NftOraclePlan.pods() : NftOraclePlan.externalClients();
        int src = from.get(random.nextInt(from.size()));
        int vip = g.vips().get(random.nextInt(g.vips().size()));
        if (random.nextBoolean()) {
            return Packet.udp(src, vip, new UdpDatagram(sport, 80, random.nextInt(40)));
        }
        TcpSegment syn = new TcpSegment(
                sport,
                80,
                2_000_000 + random.nextInt(1 << 20),
                0,
                TcpFlags.SYN,
                64240,
                0,
                TcpOptions.syn(1460, 7, true),
                0);
        return Packet.tcp(src, vip, syn);
    }

    @Test
    void theKernelsEndIsOneTheTraceReaches() {
        List<String> disagreements = new ArrayList<>();
        Map<String, Integer> kinds = new TreeMap<>();
        int probes = 0;
        int ladder = 0;
        int ladderForwarded = 0;
        int randomVerdicts = 0;
        SplittableRandom random = new SplittableRandom(1314);
        int sport = 30000;
        int icmpId = 5000;
        try (NftOracleNode kernel = NftOracleNode.create()) {
            IptablesRulesetGenerator generator = new IptablesRulesetGenerator(14, kernel.plan(), true);
            for (int r = 0; r < RULESETS; r++) {
                IptablesRulesetGenerator.Generated g = generator.next();
                assertNull(kernel.loadIptables(g.rules(), g.sets()), "ruleset " + r + " refused:\n" + g.rules());
                IptablesOracleModel model = new IptablesOracleModel(g.rules(), g.sets(), kernel.plan(), false);
                for (int i = 0; i < PROBES_PER_RULESET; i++) {
                    boolean fromPod = random.nextInt(6) == 0;
                    Packet p = i % 2 == 0
                            ? IptablesKernelOracleTest.probe(random, g, fromPod, sport++, icmpId++)
                            : toService(random, g, fromPod, sport++);
                    String seen = kernel.probe(p, fromPod);
                    List<TraceOutcome> traced = model.trace(p, fromPod);
                    probes++;
                    String kind = IptablesKernelOracleTest.kind(p, seen);
                    kinds.merge(kind, 1, Integer::sum);
                    java.util.Set<String> dnats = new java.util.HashSet<>();
                    traced.forEach(o -> dnats.add(String.valueOf(o.dnat())));
                    if (dnats.size() > 1) {
                        ladder++;
                        ladderForwarded += kind.equals("FORWARD DNAT") ? 1 : 0;
                    } else if (traced.size() > 1) {
                        randomVerdicts++;
                    }
                    double total = 0;
                    for (TraceOutcome o : traced) {
                        total += o.probability();
                    }
                    String differs = Math.abs(total - 1) > 1e-9
                            ? "the outcomes' probabilities add up to " + total
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
        System.out.println("trace oracle: " + probes + " probes over " + RULESETS + " rulesets agree; " + ladder
                + " through a ladder (" + ladderForwarded + " forwarded DNATed), " + randomVerdicts
                + " with random verdicts only: " + kinds);
        assertTrue(ladder >= 40 && ladderForwarded >= 10, "too few probes through a ladder to tell");
        assertTrue(randomVerdicts >= 20, "too few random verdicts to tell: " + randomVerdicts);
        for (String kind : List.of("LOCAL", "FORWARD", "FORWARD DNAT", "REJECT icmp", "DROP")) {
            assertTrue(kinds.getOrDefault(kind, 0) >= 10, "too few " + kind + " outcomes to tell: " + kinds);
        }
    }
}
