package io.kpsim.oracle;

import io.kpsim.conntrack.Conntrack;
import io.kpsim.conntrack.Sysctls;
import io.kpsim.conntrack.profile.KernelProfile;
import io.kpsim.netfilter.IptablesRestore;
import io.kpsim.netfilter.NodeDatapath;
import io.kpsim.netfilter.PacketTracer;
import io.kpsim.netfilter.Ruleset;
import io.kpsim.netfilter.TraceOutcome;
import io.kpsim.netfilter.UnknownModules;
import io.kpsim.netfilter.ipset.IpSets;
import io.kpsim.netfilter.ipset.IpsetRestore;
import io.kpsim.packet.Packet;
import java.util.List;

/**
 * The iptables oracle's model side: the same node as {@link NftOracleNode} (devices, addresses,
 * routes) with the ruleset read by kpsim's {@link IptablesRestore} and its ipsets by
 * {@link IpsetRestore}, each probe sent through it by {@link PacketTracer}, the engine behind
 * {@code kpsim trace}, so that the oracle checks what a trace answers.
 *
 * <p>A {@code stateful} model keeps one node for all its probes, which receives them in the
 * kernel's order, so the state modules keep (recent tables, nth counters, limit buckets, conntrack
 * entries) evolve as the kernel's do; its rules must draw nothing at random (a trace would follow
 * each branch on the one node), so every probe has exactly one outcome. Otherwise each probe, and
 * each of its {@code -m statistic} branches, walks a fresh node, as {@code kpsim trace} does.
 */
final class IptablesOracleModel {

    private final Ruleset rules;
    private final IpSets sets;
    private final NftOraclePlan plan;
    private final NodeDatapath kept;

    IptablesOracleModel(String rules, String sets, NftOraclePlan plan, boolean stateful) {
        this.sets = IpsetRestore.parse(sets, "generated.ipset");
        this.rules = IptablesRestore.parse(rules, this.sets, UnknownModules.REFUSE);
        this.plan = plan;
        this.kept = stateful ? node() : null;
    }

    private NodeDatapath node() {
        Conntrack ct = new Conntrack(KernelProfile.V6_18, Sysctls.defaults(KernelProfile.V6_18), 1);
        NodeDatapath node = new NodeDatapath(ct, rules, plan.interfaces(), plan.routes(), 1);
        node.xt().ipsets(sets);
        return node;
    }

    /** Every way the probe can end, as {@code kpsim trace} reports them. */
    List<TraceOutcome> trace(Packet probe, boolean fromServerSide) {
        PacketTracer tracer = new PacketTracer(kept != null ? () -> kept : this::node);
        return tracer.trace(
                new PacketTracer.Probe(probe, fromServerSide ? plan.serverDevice() : plan.clientDevice(), 0, null));
    }
}
