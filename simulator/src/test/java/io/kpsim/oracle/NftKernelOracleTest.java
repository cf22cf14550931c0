package io.kpsim.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.Ip4;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The nftables engine against the real kernel: 110 random kube-proxy-style rulesets (some with a
 * second table hooked next to kube-proxy's, some with policy drop, Services with and without
 * endpoints, every reject type), each loaded with {@code nft -f} into a throw-away node namespace
 * and probed 9 times from the client and server sides; the kernel's outcome (local delivery,
 * forwarded copy with its NAT, the reject's RST or ICMP reply, or a drop) must be one the model
 * gives for the same ruleset text and packet, every time.
 */
class NftKernelOracleTest {

    private static final int RULESETS = 110;
    private static final int PROBES_PER_RULESET = 9;

    @BeforeAll
    static void machine() {
        String problems = OracleMachineCheck.summary();
        Assumptions.assumeTrue(problems == null, problems);
        Commands.Result nft = Commands.exec(List.of("nft", "--version"));
        Assumptions.assumeTrue(nft.ok(), "needs 'nft' on PATH (Debian: nftables): " + nft.firstErrorLine());
    }

    @Test
    void theModelAgreesWithTheKernelOnEveryProbe() {
        List<String> disagreements = new ArrayList<>();
        Map<String, Integer> kinds = new TreeMap<>();
        int probes = 0;
        try (NftOracleNode kernel = NftOracleNode.create()) {
            NftRulesetGenerator generator = new NftRulesetGenerator(16, kernel.plan());
            NftProbes prober = new NftProbes(1616);
            for (int r = 0; r < RULESETS; r++) {
                NftRulesetGenerator.Generated g = generator.next();
                assertNull(kernel.load(g.text()), "ruleset " + r + " refused by nft:\n" + g.text());
                NftOracleModel model = new NftOracleModel("ruleset-" + r + ".nft", g.text(), kernel.plan());
                for (NftProbes.Probe p : prober.probes(g, PROBES_PER_RULESET)) {
                    String seen = kernel.probe(p.packet(), p.fromServerSide());
                    Set<String> expected = model.outcomes(p.packet(), p.fromServerSide());
                    probes++;
                    kinds.merge(kind(p, seen), 1, Integer::sum);
                    if (expected.size() > 1) {
                        kinds.merge("(several possible)", 1, Integer::sum);
                    }
                    if (!expected.contains(seen)) {
                        disagreements.add("ruleset " + r + ", " + p.packet() + (p.fromServerSide() ? " (pod)" : "")
                                + ":\n  kernel: " + seen + "\n  model:  " + expected);
                    }
                }
                if (disagreements.size() > 20) {
                    break;
                }
            }
        }
        assertTrue(
                disagreements.isEmpty(),
                disagreements.size() + " disagreements, e.g.:\n" + String.join("\n", disagreements));
        assertEquals(RULESETS * PROBES_PER_RULESET, probes);
        System.out.println("nft oracle: " + probes + " probes over " + RULESETS + " rulesets agree: " + kinds);
        for (String kind : List.of("LOCAL", "FORWARD", "FORWARD DNAT", "REJECT icmp", "REJECT tcp", "DROP")) {
            assertTrue(kinds.getOrDefault(kind, 0) >= 20, "too few " + kind + " outcomes to tell: " + kinds);
        }
        assertTrue(kinds.getOrDefault("(several possible)", 0) >= 20, "too few numgen choices: " + kinds);
    }

    /** LOCAL, FORWARD, FORWARD DNAT, REJECT icmp, REJECT tcp or DROP. */
    private static String kind(NftProbes.Probe p, String outcome) {
        String[] w = outcome.split(" ");
        if (w[0].equals("REJECT")) {
            return "REJECT " + w[1];
        }
        if (w[0].equals("FORWARD")) {
            String dst = w[4].contains(":") ? w[4].substring(0, w[4].indexOf(':')) : w[4];
            return Ip4.parse(dst) != p.packet().dstIp() ? "FORWARD DNAT" : "FORWARD";
        }
        return w[0];
    }
}
