package io.kpsim.oracle;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.netfilter.IptablesRestore;
import io.kpsim.netfilter.NodeDatapath;
import io.kpsim.netfilter.UnknownModules;
import io.kpsim.netfilter.ipset.IpSets;
import io.kpsim.netfilter.ipset.IpsetRestore;
import io.kpsim.packet.Packet;

/**
 * The iptables oracle's model side: the same node as {@link NftOracleNode} (devices, addresses,
 * routes) with the ruleset read by kpsim's {@link IptablesRestore} and its ipsets by
 * {@link IpsetRestore}, run by kpsim's rule engine. One node per ruleset receives the probes in
 * the kernel's order, so the state modules keep (recent tables, nth counters, limit buckets,
 * conntrack entries) evolve as the kernel's do; the generated rulesets draw nothing at random, so
 * every probe has exactly one outcome.
 */
final class IptablesOracleModel {

    private static final long SECOND = 1_000_000_000L;

    private final NodeDatapath node;
    private final NftOraclePlan plan;
    private long now = SECOND;

    IptablesOracleModel(String rules, String sets, NftOraclePlan plan) {
        IpSets parsed = IpsetRestore.parse(sets, "generated.ipset");
        Conntrack ct = new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 1);
        this.node = new NodeDatapath(
                ct, IptablesRestore.parse(rules, parsed, UnknownModules.REFUSE), plan.interfaces(), plan.routes(), 1);
        node.xt().ipsets(parsed);
        this.plan = plan;
    }

    /** The outcome of the next probe (a millisecond after the previous one). */
    String outcome(Packet probe, boolean fromServerSide) {
        now += SECOND / 1000;
        return NftOutcome.of(
                probe, node.receive(probe, fromServerSide ? plan.serverDevice() : plan.clientDevice(), now));
    }
}
