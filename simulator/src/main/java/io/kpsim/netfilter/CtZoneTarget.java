package io.kpsim.netfilter;

/**
 * {@code -j CT --zone N} ({@code xt_ct_tg()} in {@code net/netfilter/xt_CT.c}): attaches a
 * template conntrack with zone {@code N} in the raw table, so conntrack looks the packet up in
 * that zone and a new entry belongs to it ({@code nf_ct_zone_tmpl()} in {@code resolve_normal_ct()}
 * and {@code init_conntrack()}): two connections with the same tuples in different zones are two
 * entries. The zone applies to both directions ({@code --zone-orig}/{@code --zone-reply}, which
 * restrict it to one, are not in the rule vocabulary).
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
