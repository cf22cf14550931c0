package io.kpsim.oracle;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.netfilter.NodeDatapath;
import io.kpsim.netfilter.PathResult;
import io.kpsim.netfilter.RandomChoice;
import io.kpsim.netfilter.Ruleset;
import io.kpsim.netfilter.nftables.NftEngine;
import io.kpsim.netfilter.nftables.NftParser;
import io.kpsim.netfilter.nftables.NftRuleset;
import io.kpsim.packet.Packet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The nftables oracle's model side: the same node as {@link NftOracleNode} (devices, addresses,
 * routes) with the ruleset read by kpsim's {@link NftParser} and run by its {@link NftEngine}, and
 * every outcome a probe can have. The kernel draws {@code numgen random} from
 * {@code get_random_u32()}; the model instead follows every branch (a depth-first walk over the
 * sequence of draws, each on a fresh node so that no branch sees another's conntrack entry), and
 * the kernel's outcome must be one of them.
 */
final class NftOracleModel {

    private static final long NOW = 1_000_000_000L;

    private final NftRuleset ruleset;
    private final NftOraclePlan plan;

    NftOracleModel(String name, String text, NftOraclePlan plan) {
        this.ruleset = NftParser.parse(name, text);
        this.plan = plan;
    }

    /** Every outcome {@code probe} can have on a fresh node, sorted. */
    Set<String> outcomes(Packet probe, boolean fromServerSide) {
        Set<String> out = new TreeSet<>();
        List<List<Integer>> pending = new ArrayList<>();
        pending.add(List.of());
        while (!pending.isEmpty()) {
            List<Integer> prefix = pending.remove(pending.size() - 1);
            Branches choice = new Branches(prefix);
            NodeDatapath node = node(choice);
            PathResult r = node.receive(probe, fromServerSide ? plan.serverDevice() : plan.clientDevice(), NOW);
            out.add(NftOutcome.of(probe, r));
            for (int i = prefix.size(); i < choice.moduli.size(); i++) {
                for (int v = 1; v < choice.moduli.get(i); v++) {
                    List<Integer> next = new ArrayList<>(choice.taken.subList(0, i));
                    next.add(v);
                    pending.add(next);
                }
            }
        }
        return out;
    }

    private NodeDatapath node(RandomChoice choice) {
        Conntrack ct = new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 1);
        NodeDatapath n = new NodeDatapath(ct, Ruleset.empty(), plan.interfaces(), plan.routes(), 1);
        n.rules(null, new NftEngine(ruleset).programs());
        n.randomChoice(choice);
        return n;
    }

    /** Takes the prescribed values for the first draws and 0 after them, recording every modulus. */
    private static final class Branches implements RandomChoice {
        private final List<Integer> prefix;
        final List<Integer> moduli = new ArrayList<>();
        final List<Integer> taken = new ArrayList<>();

        Branches(List<Integer> prefix) {
            this.prefix = prefix;
        }

        @Override
        public int below(int modulus, String where) {
            int i = moduli.size();
            int v = i < prefix.size() ? prefix.get(i) : 0;
            moduli.add(modulus);
            taken.add(v);
            return v;
        }
    }
}
