package io.kpsim.netfilter;

/**
 * {@code -j CT --zone N} ({@code xt_ct_tg()} in {@code net/netfilter/xt_CT.c}): attaches a
 * template conntrack with zone {@code N} in the raw table, so conntrack looks the packet up in
 * that zone. kpsim's conntrack has one zone (0); it accepts the rule and records the hit, and
 * says in the trace that the zone is not modelled, rather than refusing the node's ruleset.
 *
 * @param zone the zone id, 0..65535
 */
public record CtZoneTarget(int zone) implements Target {

    @Override
    public TargetKind kind() {
        return TargetKind.CT_ZONE;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -j CT --zone ").append(zone);
    }
}
